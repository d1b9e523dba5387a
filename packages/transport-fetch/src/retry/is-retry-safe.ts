/** What `isRetrySafe` may look at. */
export interface RetryRequest {
  method: string;
  url: URL;
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
 */
export type RetryFailure =
  | { type: 'status'; status: number }
  | { type: 'network'; phase: 'connect' | 'request' | 'body'; code: string };

/** Methods whose repetition has the same effect as one request (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** Statuses worth retrying for idempotent requests. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Decides from HTTP semantics alone whether a failed attempt may be repeated (what a request
 * means to the server, an OAuth grant say, is for the layer above to judge: core does):
 *
 * 1. Any method when nothing was sent: the connection was refused.
 * 2. Idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE, RFC 9110 §9.2.2) for every
 *    failure the transport retries: 429/502/503/504, refused or reset connections.
 * 3. Anything else (POST and PATCH after a reset or a status): never.
 */
export function isRetrySafe(request: RetryRequest, failure: RetryFailure): boolean {
  if (failure.type === 'status' && !RETRY_STATUSES.has(failure.status)) return false;
  if (failure.type === 'network' && failure.phase === 'connect') return true;
  return IDEMPOTENT.has(request.method.toUpperCase());
}
