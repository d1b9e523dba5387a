/**
 * What `isRetrySafe` may look at: the request that failed.
 *
 * @example
 * ```ts
 * import { isRetrySafe, type RetryRequest } from '@mcp-oauth/transport-fetch';
 *
 * const request: RetryRequest = {
 *   method: 'GET',
 *   url: new URL('https://mcp.example.com/mcp'),
 *   headers: new Headers(),
 * };
 * isRetrySafe(request, { type: 'status', status: 503 }); // true
 * ```
 */
export interface RetryRequest {
  /** The HTTP method, e.g. `POST`. */
  method: string;
  /** The request URL. */
  url: URL;
  /** The request headers. */
  headers: Headers;
}

/**
 * Why an attempt failed, as far as the transport can tell:
 * - `status`: the server answered 429, 502, 503 or 504;
 * - `network` with `phase: 'connect'`: the connection was refused, nothing was sent;
 * - `network` with `phase: 'request'`: the connection broke before response headers arrived
 *   (the request may or may not have reached the server);
 * - `network` with `phase: 'body'`: the connection broke while the response body was read
 *   (the server certainly processed the request).
 *
 * @example
 * ```ts
 * import type { RetryFailure } from '@mcp-oauth/transport-fetch';
 *
 * const describe = (failure: RetryFailure) =>
 *   failure.type === 'status' ? `HTTP ${failure.status}` : `${failure.code} (${failure.phase})`;
 * ```
 */
export type RetryFailure =
  | {
      /** The server answered with a status worth retrying. */
      type: 'status';
      /** That status: 429, 502, 503 or 504. */
      status: number;
    }
  | {
      /** The connection failed. */
      type: 'network';
      /** How far the request got: `connect`, `request` or `body`. */
      phase: 'connect' | 'request' | 'body';
      /** The system or undici error code, e.g. `ECONNRESET`. */
      code: string;
    };

/** Methods whose repetition has the same effect as one request (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * Statuses worth retrying for idempotent requests: 429, 502, 503 and 504.
 *
 * @example
 * ```ts
 * import { RETRY_STATUSES } from '@mcp-oauth/transport-fetch';
 *
 * RETRY_STATUSES.has(503); // true
 * RETRY_STATUSES.has(500); // false
 * ```
 */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Decides from HTTP semantics alone whether a failed attempt may be repeated (what a request
 * means to the server, an OAuth grant say, is for the layer above to judge: core does):
 *
 * 1. Any method when nothing was sent: the connection was refused.
 * 2. Idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE, RFC 9110 §9.2.2) for every
 *    failure the transport retries: 429/502/503/504, refused or reset connections.
 * 3. Anything else (POST and PATCH after a reset or a status): never.
 *
 * @example
 * ```ts
 * import { createFetch, isRetrySafe } from '@mcp-oauth/transport-fetch';
 *
 * // also repeat POSTs to one endpoint known to be idempotent
 * const fetch = createFetch({
 *   retry: {
 *     attempts: 3,
 *     isRetrySafe: (request, failure) =>
 *       isRetrySafe(request, failure) || request.url.pathname === '/idempotent',
 *   },
 * });
 * ```
 */
export function isRetrySafe(request: RetryRequest, failure: RetryFailure): boolean {
  if (failure.type === 'status' && !RETRY_STATUSES.has(failure.status)) return false;
  if (failure.type === 'network' && failure.phase === 'connect') return true;
  return IDEMPOTENT.has(request.method.toUpperCase());
}
