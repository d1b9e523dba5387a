/**
 * Every failure this library reports carries one of these stable codes, so that
 * `switch (err.code)` narrows. Codes are grouped by where the failure happened. They are the
 * library's own words: the server's OAuth `error` value (`invalid_grant`, `insufficient_scope`,
 * ...) is never a code; it is kept in `oauthError`.
 *
 * @example
 * ```ts
 * import { McpOAuthError, type McpOAuthErrorCode } from '@mcp-oauth/core';
 *
 * function advice(code: McpOAuthErrorCode): string {
 *   switch (code) {
 *     case 'network_error':
 *     case 'timeout':
 *       return 'try again';
 *     case 'grant_rejected':
 *       return 'log in again';
 *     default:
 *       return 'see the message';
 *   }
 * }
 * declare const error: unknown;
 * if (McpOAuthError.isInstance(error)) console.error(advice(error.code));
 * ```
 */
export type McpOAuthErrorCode =
  // transport: the HTTP exchange itself failed
  | 'network_error'
  | 'timeout'
  | 'response_too_large'
  | 'http_error'
  // a destination refused by the SSRF defence (blockPrivateNetworks)
  | 'address_blocked'
  // conformance: the server answered, but not as the specifications require
  | 'invalid_response'
  | 'resource_metadata_invalid'
  | 'resource_mismatch'
  | 'authorization_server_metadata_invalid'
  | 'authorization_server_not_found'
  // the issuer a server named is not the one expected: in its metadata (RFC 8414 §3.3), in the
  // authorization response's `iss` (RFC 9207; `details.parameter` is `iss`), or a pending
  // authorization resumed with another server
  | 'issuer_mismatch'
  | 'pkce_unsupported'
  | 'state_mismatch'
  | 'insecure_url'
  // the OpenID Connect ID token failed validation (signature, iss, aud, exp, iat, nonce, azp,
  // alg: OIDC Core §3.1.3.7), or none came back although `openid` was requested
  | 'id_token_invalid'
  // the two servers disagree: the resource requires DPoP that its authorization server does not offer
  | 'dpop_unavailable'
  // protocol: the server refused a request (its OAuth error value, if any, in `oauthError`)
  | 'registration_unsupported'
  | 'registration_failed'
  | 'authorization_denied'
  | 'token_request_failed'
  // the authorization server rejected the grant (code, refresh token, assertion: `oauthError`
  // is `invalid_grant`)
  | 'grant_rejected'
  | 'reauthorization_required'
  | 'step_up_limit_reached'
  | 'device_authorization_expired'
  | 'device_authorization_denied'
  | 'revocation_failed'
  | 'introspection_failed'
  | 'registration_management_failed'
  | 'token_not_for_server'
  // the enterprise IdP refused the RFC 8693 token exchange for an ID-JAG (SEP-990)
  | 'token_exchange_failed'
  // MCP: the server answered a JSON-RPC request with a JSON-RPC error
  | 'jsonrpc_error'
  // interaction: obtaining a person's consent (or an assertion) failed
  | 'interaction_required'
  | 'interaction_timeout'
  | 'interaction_failed'
  // the application's source of an assertion (the user's ID token, the workload's platform
  // token) failed or gave nothing
  | 'assertion_unavailable'
  // store
  | 'store_unavailable'
  | 'store_read_failed'
  | 'store_write_failed'
  | 'store_corrupt'
  | 'store_wrong_key'
  | 'store_lock_timeout'
  | 'store_permission_denied'
  // the backend rejected the store's own credentials (login or token), as opposed to a
  // policy that lacks a capability (store_permission_denied)
  | 'store_auth_failed'
  | 'store_conflict'
  | 'store_insecure_permissions'
  // configuration
  | 'invalid_configuration';
