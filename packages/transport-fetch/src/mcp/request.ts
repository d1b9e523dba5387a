import { McpOAuthError } from '@mcp-oauth/core';
import { redactUrl } from '@mcp-oauth/internal';
import type { FetchLike } from '../create-fetch.ts';
import {
  isJsonRpcFailure,
  isJsonRpcResponse,
  type JsonRpcId,
  type JsonRpcMessage,
} from './jsonrpc.ts';
import { iterateMcpMessages } from './read-response.ts';

/**
 * Options of `mcpRequest`: the JSON-RPC call and how to send it.
 *
 * @example
 * ```ts
 * import { type McpRequestOptions, mcpRequest } from '@mcp-oauth/transport-fetch';
 *
 * const options: McpRequestOptions = {
 *   method: 'tools/call',
 *   params: { name: 'echo', arguments: { text: 'hi' } },
 *   protocolVersion: '2025-11-25',
 *   timeoutMs: 30_000,
 * };
 * const result = await mcpRequest(fetch, 'https://mcp.example.com/mcp', options);
 * ```
 */
export interface McpRequestOptions {
  /** The JSON-RPC method, e.g. `tools/list`. */
  method: string;
  /** The method's parameters, sent as `params`. Default: none. */
  params?: unknown;
  /** The request id. Default: a random UUID. */
  id?: JsonRpcId;
  /** Time for the whole call, response included, in ms. Default: none. */
  timeoutMs?: number;
  /** Extra headers (e.g. `Mcp-Session-Id`). */
  headers?: Record<string, string>;
  /** Sent as `MCP-Protocol-Version` when set. */
  protocolVersion?: string;
  /** Aborts the call, response included. */
  signal?: AbortSignal;
  /**
   * On a 401, call `onUnauthorized` (when given) and send the request once more. Default true.
   * An authorized fetch from core already refreshes and retries on its own; turn this off then.
   */
  retryOn401?: boolean;
  /** Called before the one retry after a 401: refresh credentials here. */
  onUnauthorized?: () => void | Promise<void>;
  /** Receives the messages that arrive before the response (notifications, server requests). */
  onMessage?: (message: JsonRpcMessage) => void;
}

function httpError(response: Response, url: string, method: string): McpOAuthError {
  const hint =
    response.status === 401 || response.status === 403
      ? 'The server refused the credentials: authorize again.'
      : 'Check the server URL, or try again later.';
  return new McpOAuthError(
    'http_error',
    `MCP ${method} at ${url} answered HTTP ${response.status}. ${hint}`,
    {
      status: response.status,
      details: { url, method },
    },
  );
}

/**
 * Sends one JSON-RPC request to an MCP server over Streamable HTTP with any fetch (the
 * transport from `createFetch`, core's authorized fetch, or globalThis.fetch) and returns its
 * `result`. Reads JSON or SSE answers; a JSON-RPC error throws `jsonrpc_error` (the server's
 * `code` and `message` in `details`, the error object as `cause`); a non-2xx status without a
 * JSON-RPC error throws `http_error`; the timeout throws `timeout` (phase `total`).
 *
 * @example
 * ```ts
 * import { createFetch, mcpRequest } from '@mcp-oauth/transport-fetch';
 *
 * const fetch = createFetch();
 * const { tools } = await mcpRequest<{ tools: { name: string }[] }>(
 *   fetch,
 *   'https://mcp.example.com/mcp',
 *   { method: 'tools/list', headers: { authorization: `Bearer ${process.env.MCP_TOKEN}` } },
 * );
 * console.log(tools.map((t) => t.name));
 * ```
 */
export async function mcpRequest<T = unknown>(
  fetch: FetchLike,
  url: string | URL,
  options: McpRequestOptions,
): Promise<T> {
  const id = options.id ?? crypto.randomUUID();
  const target = redactUrl(url);
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: options.method,
    params: options.params,
  });
  const headers: Record<string, string> = {
    accept: 'application/json, text/event-stream',
    'content-type': 'application/json',
    ...(options.protocolVersion === undefined
      ? {}
      : { 'mcp-protocol-version': options.protocolVersion }),
    ...options.headers,
  };
  const timeout =
    options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  const signals = [options.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];

  const run = async (): Promise<T> => {
    let response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      ...(signal ? { signal } : {}),
    });
    if (response.status === 401 && options.retryOn401 !== false) {
      await response.body?.cancel().catch(() => {});
      await options.onUnauthorized?.();
      response = await fetch(url, { method: 'POST', headers, body, ...(signal ? { signal } : {}) });
    }
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok && !type.includes('json')) {
      await response.body?.cancel().catch(() => {});
      throw httpError(response, target, options.method);
    }
    try {
      for await (const message of iterateMcpMessages(response)) {
        if (!isJsonRpcResponse(message) || (message.id !== id && message.id !== null)) {
          options.onMessage?.(message);
          continue;
        }
        if (isJsonRpcFailure(message)) {
          throw new McpOAuthError(
            'jsonrpc_error',
            `MCP ${options.method} at ${target} failed with JSON-RPC error ${message.error.code}: ${message.error.message}`,
            {
              cause: message.error,
              status: response.status,
              details: {
                url: target,
                method: options.method,
                jsonRpcCode: message.error.code,
                jsonRpcMessage: message.error.message,
              },
            },
          );
        }
        return message.result as T;
      }
    } catch (error) {
      // an error status whose JSON body is not JSON-RPC (an OAuth error, a gateway page)
      if (!response.ok && McpOAuthError.is(error, 'invalid_response')) {
        throw httpError(response, target, options.method);
      }
      throw error;
    }
    if (!response.ok) throw httpError(response, target, options.method);
    throw new McpOAuthError(
      'invalid_response',
      `MCP ${options.method} at ${target}: the response ended without a JSON-RPC answer to request ${String(id)}.`,
      { status: response.status, details: { url: target, method: options.method } },
    );
  };

  try {
    return await run();
  } catch (error) {
    if (timeout?.aborted && !options.signal?.aborted) {
      throw new McpOAuthError(
        'timeout',
        `MCP ${options.method} at ${target} took longer than ${options.timeoutMs} ms.`,
        {
          cause: error,
          details: {
            url: target,
            method: options.method,
            phase: 'total',
            timeoutMs: options.timeoutMs,
          },
        },
      );
    }
    throw error;
  }
}
