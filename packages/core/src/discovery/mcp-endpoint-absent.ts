import type { FetchLike } from '../http/types.ts';

/**
 * Whether no MCP endpoint is at `serverUrl`: an MCP `initialize` POST answered 404, and a GET for
 * the legacy HTTP+SSE transport's stream (2024-11-05: GET only; MCP 2025-03-26 has clients try it
 * after a 4xx POST) answered 404 too. Both bodies are let go unread. A failure to reach the server
 * says nothing (false): discovery reports it where it matters.
 */
export async function mcpEndpointAbsent(
  fetch: FetchLike,
  serverUrl: string,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const status = async (init: RequestInit) => {
    const response = await fetch(serverUrl, { ...init, ...(signal ? { signal } : {}) }).catch(
      () => undefined,
    );
    await response?.body?.cancel().catch(() => {});
    return response?.status;
  };
  const post = await status({
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-03-26',
        capabilities: {},
        clientInfo: { name: 'mcp-oauth', version: '0' },
      },
    }),
  });
  if (post !== 404) return false;
  return (await status({ method: 'GET', headers: { accept: 'text/event-stream' } })) === 404;
}
