/**
 * An authorization request awaiting its redirect: plain, serializable data. A web
 * app can keep it in its session, navigate away, and resume with the callback URL.
 * It holds the PKCE verifier: keep it server-side, as you would a session secret.
 *
 * @example
 * ```ts
 * import { createOAuthClient, type PendingAuthorization } from '@mcp-oauth/core';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * const { authorizationUrl, pending } = await oauth.beginAuthorization({
 *   redirectUri: 'https://app.example.com/oauth/callback',
 * });
 * const saved = JSON.stringify(pending); // keep in the server-side session; redirect to authorizationUrl
 * // ...later, in the callback handler:
 * const restored = JSON.parse(saved) as PendingAuthorization;
 * await oauth.completeAuthorization(restored, 'https://app.example.com/oauth/callback?code=...&state=...');
 * ```
 */
export interface PendingAuthorization {
  /** The format version. */
  v: 1;
  /** Always `pending_authorization`. */
  kind: 'pending_authorization';
  /** The MCP server URL the client was created for. */
  serverUrl: string;
  /** The canonical resource URI (RFC 8707) the tokens are asked for. */
  resource: string;
  /** The authorization server's issuer; the callback's `iss` must match it (RFC 9207). */
  issuer: string;
  /** The client id used in the request. */
  clientId: string;
  /** The redirect URI sent; the token request repeats it. */
  redirectUri: string;
  /** The `state` sent; the callback must carry it back (RFC 6749 §10.12). */
  state: string;
  /** The PKCE code verifier (RFC 7636 §4.1). A secret: keep it server-side. */
  codeVerifier: string;
  /** The scopes asked for, space-separated. */
  scope?: string;
  /** OpenID Connect `nonce` (Core §3.1.2.1), sent when `scope` has `openid`; the ID token must carry it. */
  nonce?: string;
  /** The authorization request URL the browser was sent to. */
  authorizationUrl: string;
  /** When the request was made, epoch ms. */
  createdAt: number;
}
