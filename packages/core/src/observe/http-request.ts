/** What a request to an authorization server (or its metadata) is for. */
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
 */
export interface OAuthHttpRequest {
  kind: OAuthRequestKind;
  /** The `grant_type` of a token request (`authorization_code`, `refresh_token`, ...). */
  grantType?: string;
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
