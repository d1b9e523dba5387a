/**
 * The fetch port: any function with the standard signature (globalThis.fetch, undici, transport-fetch).
 *
 * @example
 * ```ts
 * import { createOAuthClient, type FetchLike } from '@mcp-oauth/core';
 *
 * const logged: FetchLike = async (input, init) => {
 *   const response = await fetch(input, init);
 *   console.error(init?.method ?? 'GET', response.status);
 *   return response;
 * };
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', fetch: logged });
 * ```
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A fetch middleware, as the MCP SDK's `Middleware` (`applyMiddlewares`): given the next fetch
 * of a chain, a fetch that does its part and calls it. The next fetch is only ever called with a
 * URL, never a `Request`, so any fetch (the SDK's `FetchLike` included) fits.
 *
 * @example
 * ```ts
 * import { createOAuthClient, type FetchMiddleware } from '@mcp-oauth/core';
 *
 * const logging: FetchMiddleware = (next) => async (input, init) => {
 *   const response = await next(input, init);
 *   console.error(init?.method ?? 'GET', String(input), response.status);
 *   return response;
 * };
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * const fetchWithBoth = logging(oauth.middleware()(globalThis.fetch));
 * ```
 */
export type FetchMiddleware = (
  next: (input: string | URL, init?: RequestInit) => Promise<Response>,
) => FetchLike;

/** Default cap on metadata, registration and token responses. They are small; megabytes are an attack. */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;
