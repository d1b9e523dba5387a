import type { FetchLike } from '../http/types.ts';

/**
 * An MCP `initialize` POST to `serverUrl` without a token, as an MCP client's first request is
 * sent: what a server answers it (a 401 challenge, a 404) tells the client about it. The body is
 * let go unread; the status and headers stay readable.
 */
export async function initializeWithoutToken(
  fetch: FetchLike,
  serverUrl: string,
  protocolVersion: string,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const response = await fetch(serverUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion,
        capabilities: {},
        clientInfo: { name: 'mcp-oauth', version: '0' },
      },
    }),
    ...(signal ? { signal } : {}),
  });
  await response.body?.cancel().catch(() => {});
  return response;
}
