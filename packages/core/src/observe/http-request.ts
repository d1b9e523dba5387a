/**
 * What a request to an authorization server (or its metadata) is for.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import type { OAuthHttpRequest, OAuthRequestKind } from '@mcp-oauth/core';
 *
 * const counts = new Map<OAuthRequestKind, number>();
 * diagnostics_channel.tracingChannel<OAuthHttpRequest, OAuthHttpRequest>('mcp-oauth:http').subscribe({
 *   start: (request) => counts.set(request.kind, (counts.get(request.kind) ?? 0) + 1),
 *   end() {},
 *   asyncStart() {},
 *   asyncEnd() {},
 *   error() {},
 * });
 * ```
 */
export type OAuthRequestKind =
  | 'discovery'
  | 'token'
  | 'registration'
  | 'revocation'
  | 'introspection'
  | 'device_authorization'
  | 'jwks';

/**
 * The context of one request on the TracingChannel `mcp-oauth:http` (its `start`, `end`,
 * `asyncStart`, `asyncEnd` and `error` events all receive the same object). Never a secret:
 * no header, no body, no query string.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import type { OAuthHttpRequest } from '@mcp-oauth/core';
 *
 * diagnostics_channel.tracingChannel<OAuthHttpRequest, OAuthHttpRequest>('mcp-oauth:http').subscribe({
 *   start() {},
 *   end() {},
 *   asyncStart() {},
 *   asyncEnd: (request) => console.log(request.kind, request.method, request.url, request.status, request.durationMs),
 *   error: (request) => console.warn(`${request.method} ${request.url} failed: ${String(request.error)}`),
 * });
 * ```
 */
export interface OAuthHttpRequest {
  /** What the request is for. */
  kind: OAuthRequestKind;
  /** The `grant_type` of a token request (`authorization_code`, `refresh_token`, ...). */
  grantType?: string;
  /** The HTTP method (`GET`, `POST`, ...). */
  method: string;
  /** The URL without its query string or fragment (they may hold codes). */
  url: string;
  /** The response's status, set before `asyncEnd`. */
  status?: number;
  /** Milliseconds from sending to the whole body read (or to the failure), set before `asyncEnd` or `error`. */
  durationMs?: number;
  /** Set by the TracingChannel on `error`: an `McpOAuthError` (`network_error`, `timeout`, `response_too_large`, ...). */
  error?: unknown;
}
