import type { FetchLike } from '../http/types.ts';
import { initializeWithoutToken } from './initialize-without-token.ts';

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
  const post = await initializeWithoutToken(fetch, serverUrl, '2025-03-26', signal).catch(
    () => undefined,
  );
  if (post?.status !== 404) return false;
  const get = await fetch(serverUrl, {
    method: 'GET',
    headers: { accept: 'text/event-stream' },
    ...(signal ? { signal } : {}),
  }).catch(() => undefined);
  await get?.body?.cancel().catch(() => {});
  return get?.status === 404;
}
