import type { RequestId } from './messages.ts';
import { headerValue, type ParamHeaders } from './param-headers.ts';
import type { FetchFn } from './remote-transport.ts';
import type { StreamCancels } from './stream-cancels.ts';

/** Where a 2026-07-28 (and later) message names its protocol revision: its `_meta` envelope. */
export const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';

/** The parameter each method mirrors into `Mcp-Name` (MCP 2026-07-28, Streamable HTTP). */
const NAME_SOURCE: Record<string, string> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/** The revision a message claims in its `_meta` envelope (2026-07-28 and later), if any. */
export function envelopeRevision(message: unknown): string | undefined {
  const meta = (message as { params?: { _meta?: Record<string, unknown> } } | undefined)?.params
    ?._meta;
  const version = meta?.[PROTOCOL_VERSION_META_KEY];
  return typeof version === 'string' ? version : undefined;
}

/**
 * From MCP 2026-07-28 on, a request carries its revision in its body (`_meta`) and the client
 * MUST repeat it, with the method and name, in the `MCP-Protocol-Version`, `Mcp-Method` and
 * `Mcp-Name` headers; servers answer a request without them with HTTP 400 (-32020). A host
 * speaking stdio sends no headers, so the bridge derives them from the body, as the SDK v2's
 * own HTTP transport does, and the `Mcp-Param-*` headers of a `tools/call` (`params`); each such
 * exchange gets a signal of its own (`cancels`), closed when the host cancels the request.
 * 2025-era messages (no envelope) pass untouched and unparsed.
 */
export function withRevisionHeaders(
  fetch: FetchFn,
  params?: ParamHeaders,
  cancels?: StreamCancels,
): FetchFn {
  return (input, init) => {
    const body = init?.body;
    if (
      init?.method !== 'POST' ||
      typeof body !== 'string' ||
      !body.includes(PROTOCOL_VERSION_META_KEY)
    )
      return fetch(input, init);
    let message: { id?: unknown; method?: unknown; params?: Record<string, unknown> };
    try {
      message = JSON.parse(body);
    } catch {
      return fetch(input, init);
    }
    const version = envelopeRevision(message);
    if (version === undefined || typeof message.method !== 'string' || message.id === undefined)
      return fetch(input, init);
    const headers = new Headers(init.headers);
    headers.set('mcp-protocol-version', version);
    headers.set('mcp-method', message.method);
    const field = NAME_SOURCE[message.method];
    const name = field === undefined ? undefined : message.params?.[field];
    if (typeof name === 'string') headers.set('mcp-name', headerValue(name));
    if (message.method === 'tools/call' && params)
      for (const [header, value] of Object.entries(params.headersFor(message.params)))
        headers.set(header, value);
    const id = message.id as RequestId;
    const signal = cancels ? cancels.track(id, init.signal) : init.signal;
    return fetch(input, { ...init, headers, ...(signal ? { signal } : {}) });
  };
}
