/**
 * An authorization request awaiting its redirect: plain, serializable data. A web
 * app can keep it in its session, navigate away, and resume with the callback URL.
 * It holds the PKCE verifier: keep it server-side, as you would a session secret.
 */
export interface PendingAuthorization {
  v: 1;
  kind: 'pending_authorization';
  serverUrl: string;
  resource: string;
  issuer: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeVerifier: string;
  scope?: string;
  /** OpenID Connect `nonce` (Core §3.1.2.1), sent when `scope` has `openid`; the ID token must carry it. */
  nonce?: string;
  authorizationUrl: string;
  createdAt: number;
}
