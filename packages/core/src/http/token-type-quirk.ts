import type { FetchLike } from './types.ts';

/**
 * For servers that omit `token_type` (opt-in quirk `allowMissingTokenType`): a
 * token response with an access_token and no token_type is read as Bearer.
 * Applied to already-buffered OAuth responses only.
 */
export function defaultTokenType(fetch: FetchLike): FetchLike {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.ok || !response.headers.get('content-type')?.includes('json')) return response;
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON after all: passed on as it is
    }
    return new Response(
      body && typeof body === 'object' && 'access_token' in body && !('token_type' in body)
        ? JSON.stringify({ ...body, token_type: 'Bearer' })
        : text,
      response,
    );
  };
}
