/** The fetch port: any function with the standard signature (globalThis.fetch, undici, transport-fetch). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A fetch middleware, as the MCP SDK's `Middleware` (`applyMiddlewares`): given the next fetch
 * of a chain, a fetch that does its part and calls it. The next fetch is only ever called with a
 * URL, never a `Request`, so any fetch (the SDK's `FetchLike` included) fits.
 */
export type FetchMiddleware = (
  next: (input: string | URL, init?: RequestInit) => Promise<Response>,
) => FetchLike;

/** Default cap on metadata, registration and token responses. They are small; megabytes are an attack. */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;
