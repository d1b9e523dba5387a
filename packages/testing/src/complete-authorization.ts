import { excerpt, type FetchLike, HeadlessBrowser } from './browser.ts';

/**
 * Options of `completeAuthorization`.
 *
 * @example
 * ```ts
 * import { completeAuthorization, secretCollectingFetch } from '@mcp-oauth/testing';
 *
 * declare const authorizationUrl: string; // built by the client under test
 * const { fetch, secrets } = secretCollectingFetch();
 * const redirect = await completeAuthorization(authorizationUrl, { fetch });
 * ```
 */
export interface CompleteAuthorizationOptions {
  /** The fetch used for the walk (default: the global fetch). */
  fetch?: FetchLike | undefined;
}

/**
 * Plays the person in the browser for an authorization request: walks `authorizeUrl` (with
 * `redirect: 'manual'` and a cookie jar) through the server's login and consent pages, which
 * the test authorization server approves headlessly, until a `Location` leaves the server's
 * origin. Returns that URL: the client's redirect URI with `code`, `state` and `iss` (or with
 * `error` when consent was denied). Nothing needs to listen at the redirect URI.
 *
 * Throws an Error when the walk ends on a page instead (e.g. an error page for an invalid
 * request), naming the status and the page's error text, or after 20 redirects.
 *
 * @example
 * ```ts
 * import { completeAuthorization } from '@mcp-oauth/testing';
 *
 * declare const authorizationUrl: string; // built by the client under test
 * const redirect = new URL(await completeAuthorization(authorizationUrl));
 * const code = redirect.searchParams.get('code'); // hand the redirect to the client
 * ```
 */
export async function completeAuthorization(
  authorizeUrl: string | URL,
  options: CompleteAuthorizationOptions = {},
): Promise<string> {
  const url = String(authorizeUrl);
  const browser = new HeadlessBrowser(url, options.fetch);
  const end = await browser.walk(url);
  if (end.kind === 'left') return end.location;
  throw new Error(
    `authorization did not end with a redirect to the client: ${end.response.status} at ${end.url}: ${excerpt(end.body)}`,
  );
}
