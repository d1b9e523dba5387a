import { redactUrl as safeUrl } from '@mcp-oauth/internal';
import { McpOAuthError } from '../errors/error.ts';
import { readLimited } from './read-limited.ts';
import type { FetchLike } from './types.ts';

/**
 * Wraps the fetch port for OAuth requests (metadata, registration, token,
 * revocation, introspection): network failures become `network_error`, and the
 * body is read with a size cap, then handed on as a fresh, fully buffered Response.
 */
export function guardedFetch(fetch: FetchLike, maxBytes: number): FetchLike {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (cause) {
      throw asTransportError(cause, url);
    }
    const body = await readLimited(response, maxBytes, safeUrl(url));
    return new Response(response.status === 204 || response.status === 304 ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

export function asTransportError(cause: unknown, url: string): McpOAuthError {
  if (McpOAuthError.isInstance(cause)) return cause;
  if (
    cause instanceof DOMException &&
    (cause.name === 'AbortError' || cause.name === 'TimeoutError')
  ) {
    return new McpOAuthError(
      cause.name === 'TimeoutError' ? 'timeout' : 'network_error',
      `The request to ${safeUrl(url)} was ${cause.name === 'TimeoutError' ? 'timed out' : 'aborted'}.`,
      { cause, details: { url: safeUrl(url) } },
    );
  }
  return new McpOAuthError(
    'network_error',
    `Could not reach ${safeUrl(url)}: ${cause instanceof Error ? cause.message : String(cause)}. Check the address, network and proxy.`,
    { cause, details: { url: safeUrl(url) } },
  );
}

/** A URL fit for messages: no query string (it may hold codes or tokens), no credentials. */
export { safeUrl };
