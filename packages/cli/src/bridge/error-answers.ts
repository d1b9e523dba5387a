import type { FetchFn } from './remote-transport.ts';

/**
 * A server may answer a request it refuses with an HTTP 4xx whose body is the JSON-RPC error
 * for that request (MCP 2026-07-28 does so for an unsupported revision, -32022, or headers that
 * disagree with the body, -32020). The SDK's transport would throw that away as an HTTP
 * failure, and the bridge would try the other transport; the host would get an HTTP status
 * instead of the server's answer. This fetch hands such a body to the transport as the
 * answer it is. Authorization (401, 403) and the statuses that mean a session or a transport
 * is gone (404, 405) are left as they are, and so is any body that is not the error of one
 * request (a JSON-RPC error with id null, say).
 */
export function withErrorAnswers(fetch: FetchFn): FetchFn {
  return async (input, init) => {
    const response = await fetch(input, init);
    const { status } = response;
    if (
      init?.method !== 'POST' ||
      status < 400 ||
      status >= 500 ||
      [401, 403, 404, 405].includes(status) ||
      !response.headers.get('content-type')?.includes('application/json')
    )
      return response;
    const text = await response.text();
    let parsed: { jsonrpc?: unknown; id?: unknown; error?: unknown } | undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const isAnswer =
      parsed?.jsonrpc === '2.0' &&
      (typeof parsed.id === 'string' || typeof parsed.id === 'number') &&
      typeof parsed.error === 'object' &&
      parsed.error !== null;
    const headers = new Headers(response.headers);
    return new Response(text, {
      status: isAnswer ? 200 : status,
      statusText: isAnswer ? 'OK' : response.statusText,
      headers,
    });
  };
}
