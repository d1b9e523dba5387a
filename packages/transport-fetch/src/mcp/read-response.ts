import { McpOAuthError } from '@mcp-oauth/core';
import { redactUrl } from '@mcp-oauth/internal';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { isJsonRpcMessage, type JsonRpcMessage } from './jsonrpc.ts';

function mediaType(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function describe(response: Response): string {
  return URL.canParse(response.url) ? redactUrl(response.url) : 'the MCP server';
}

function invalid(response: Response, why: string, cause?: unknown): McpOAuthError {
  return new McpOAuthError(
    'invalid_response',
    `The response of ${describe(response)} is not a valid MCP response: ${why}.`,
    {
      cause,
      status: response.status,
      details: { url: describe(response), contentType: mediaType(response) },
    },
  );
}

/** Parses one JSON text into JSON-RPC messages (a batch array gives several). */
function parseMessages(response: Response, text: string): JsonRpcMessage[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(response, 'its body is not JSON', error);
  }
  const values = Array.isArray(value) ? value : [value];
  for (const item of values) {
    if (!isJsonRpcMessage(item))
      throw invalid(response, 'it holds something that is not a JSON-RPC 2.0 message');
  }
  return values as JsonRpcMessage[];
}

/**
 * Yields the JSON-RPC messages of an MCP Streamable HTTP response as they arrive:
 * `application/json` (one message or a batch), or `text/event-stream`, parsed with
 * eventsource-parser (events with empty data, such as priming events, are skipped). Stopping
 * the iteration early cancels the body. A 202 or 204 answer, or an empty body, yields nothing.
 * Throws `invalid_response` for any other content type or for data that is not JSON-RPC.
 *
 * @example
 * ```ts
 * import { iterateMcpMessages } from '@mcp-oauth/transport-fetch';
 *
 * const response = await fetch('https://mcp.example.com/mcp', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
 *   body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
 * });
 * for await (const message of iterateMcpMessages(response)) console.log(message);
 * ```
 */
export async function* iterateMcpMessages(response: Response): AsyncGenerator<JsonRpcMessage> {
  const type = mediaType(response);
  if (response.body === null || response.status === 202 || response.status === 204) {
    await response.body?.cancel();
    return;
  }
  if (type === 'application/json' || type.endsWith('+json')) {
    const text = await response.text();
    if (text.trim() === '') return;
    yield* parseMessages(response, text);
    return;
  }
  if (type !== 'text/event-stream') {
    await response.body.cancel();
    throw invalid(response, `unexpected content type "${type || 'none'}"`);
  }
  const events = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.event !== undefined && value.event !== 'message') continue;
      if (value.data.trim() === '') continue;
      yield* parseMessages(response, value.data);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/**
 * Reads a whole MCP response into its JSON-RPC messages. See `iterateMcpMessages`.
 *
 * @example
 * ```ts
 * import { readMcpResponse } from '@mcp-oauth/transport-fetch';
 *
 * const response = await fetch('https://mcp.example.com/mcp', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
 *   body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
 * });
 * const messages = await readMcpResponse(response);
 * ```
 */
export async function readMcpResponse(response: Response): Promise<JsonRpcMessage[]> {
  const messages: JsonRpcMessage[] = [];
  for await (const message of iterateMcpMessages(response)) messages.push(message);
  return messages;
}
