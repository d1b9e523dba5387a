import type { RetryPostPolicy } from '../options.ts';

/** What `isRetrySafe` may look at. The body is given only when it is form-encoded text. */
export interface RetryRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** The request body when it is `application/x-www-form-urlencoded`, otherwise undefined. */
  formBody: string | undefined;
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

/** Statuses that show the server did not process a request: it was rate-limited or unavailable. */
const UNPROCESSED_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * True when the request is an OAuth token (RFC 6749 §3.2), revocation (RFC 7009) or
 * introspection (RFC 7662) request: a form-encoded POST carrying `grant_type` or `token`.
 * The body identifies these requests whatever the server names its endpoints.
 */
export function isOAuthEndpointRequest(request: RetryRequest): boolean {
  if (request.method !== 'POST' || request.formBody === undefined) return false;
  const params = new URLSearchParams(request.formBody);
  return params.has('grant_type') || params.has('token');
}

/**
 * Decides whether a failed attempt may be repeated:
 *
 * 1. Idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE): always, for any failure the
 *    transport retries (429/502/503/504, refused or reset connections).
 * 2. POST, when `retryPost` is `'when-unprocessed'` (the default), only for OAuth token,
 *    revocation and introspection requests (see `isOAuthEndpointRequest`), and only when the
 *    failure shows the server did not process the request: a refused connection, or a 429 or
 *    503 answer. Never after a reset, never after 502/504 (a gateway may have forwarded it).
 *    Other POSTs (MCP JSON-RPC calls among them) are never repeated.
 * 3. Anything else: never.
 */
export function isRetrySafe(
  request: RetryRequest,
  failure: RetryFailure,
  retryPost: RetryPostPolicy = 'when-unprocessed',
): boolean {
  const method = request.method.toUpperCase();
  if (failure.type === 'status' && !RETRY_STATUSES.has(failure.status)) return false;
  if (IDEMPOTENT.has(method)) return true;
  if (method !== 'POST' || retryPost === 'never') return false;
  if (!isOAuthEndpointRequest({ ...request, method })) return false;
  if (failure.type === 'status') return UNPROCESSED_STATUSES.has(failure.status);
  return failure.phase === 'connect';
}
