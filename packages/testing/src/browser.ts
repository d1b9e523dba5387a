import { CookieJar } from './cookie-jar.ts';

/**
 * The `fetch` a walk uses (the global one by default).
 *
 * @example
 * ```ts
 * import { completeAuthorization, type FetchLike } from '@mcp-oauth/testing';
 *
 * const logged: FetchLike = (input, init) => {
 *   console.log(init?.method ?? 'GET', String(input));
 *   return fetch(input, init);
 * };
 * declare const authorizationUrl: string;
 * await completeAuthorization(authorizationUrl, { fetch: logged });
 * ```
 */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Where a redirect walk stopped. */
export type WalkEnd =
  /** A Location outside the authorization server's origin: the client's redirect URI. */
  | { kind: 'left'; location: string }
  /** A response that is not a redirect, on the server's origin. */
  | { kind: 'page'; url: string; response: Response; body: string };

export const MAX_HOPS = 20;

/**
 * What a person's browser does on the authorization server's pages, without a browser:
 * requests with `redirect: 'manual'`, a cookie jar, redirects followed while they stay on the
 * server's origin (at most 20).
 */
export class HeadlessBrowser {
  readonly #fetch: FetchLike;
  readonly #jar = new CookieJar();
  readonly #origin: string;

  constructor(serverUrl: string, fetchImpl: FetchLike = globalThis.fetch) {
    this.#origin = new URL(serverUrl).origin;
    this.#fetch = fetchImpl;
  }

  /** Sends one request with the jar's cookies and keeps the cookies it sets. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.#jar.header();
    if (cookie) headers.set('cookie', cookie);
    const response = await this.#fetch(url, { ...init, headers, redirect: 'manual' });
    this.#jar.store(response.headers);
    return response;
  }

  /** Sends a request, then follows redirects on the server's origin until something else. */
  async walk(url: string, init: RequestInit = {}): Promise<WalkEnd> {
    let current = url;
    let response = await this.request(current, init);
    for (let hop = 0; hop <= MAX_HOPS; hop += 1) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) {
        return { kind: 'page', url: current, response, body: await response.text() };
      }
      await response.body?.cancel();
      const next = new URL(location, current);
      if (next.origin !== this.#origin) return { kind: 'left', location: next.href };
      current = next.href;
      if (hop === MAX_HOPS) break;
      response = await this.request(current);
    }
    throw new Error(`authorization walk exceeded ${MAX_HOPS} redirects (last: ${current})`);
  }
}

/** A short, single-line excerpt of a page, for error messages. */
export function excerpt(body: string): string {
  const error = /<pre id="error">([^<]*)<\/pre>|<p id="error">([^<]*)<\/p>/.exec(body);
  const text = error ? (error[1] ?? error[2] ?? '') : body.replace(/<[^>]*>/g, ' ');
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
