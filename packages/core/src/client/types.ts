import type { PendingAuthorization } from '../authorization/pending.ts';
import type { McpOAuthError } from '../errors/error.ts';
import type { FlowContextOptions } from '../flow/create-flow-context.ts';
import type { FlowState } from '../flow/states.ts';
import type { IntrospectionResult } from '../grants/introspection-request.ts';
import type { FetchLike, FetchMiddleware } from '../http/types.ts';
import type { Interaction } from '../interaction/types.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import type { DiscoveryRecord } from '../store/records.ts';
import type { Identity } from './identity.ts';
import type { ClientInternals } from './internals.ts';
import type { TokenInfo, TokenStatus } from './token-info.ts';

/**
 * Options of {@link createOAuthClient}. Only `serverUrl` is required; everything else has a
 * default that follows the MCP Authorization specification.
 *
 * @example
 * ```ts
 * import { createOAuthClient, memoryStore, type OAuthClientOptions } from '@mcp-oauth/core';
 * import { deviceInteraction } from '@mcp-oauth/core/device';
 *
 * const options: OAuthClientOptions = {
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   store: memoryStore(),
 *   interaction: deviceInteraction({
 *     prompt: ({ verificationUri, userCode }) => console.error(`Open ${verificationUri}, enter ${userCode}`),
 *   }),
 *   client: { clientName: 'My MCP app' },
 *   scopes: ['mcp:read'],
 *   refreshSkewMs: 120_000,
 * };
 * const oauth = createOAuthClient(options);
 * ```
 */
export interface OAuthClientOptions extends FlowContextOptions {
  /**
   * How authorization is obtained: a redirect interaction (e.g. `@mcp-oauth/loopback`),
   * `deviceInteraction({ prompt })`, `clientCredentials()`, or several in order of
   * preference (the first whose grant the server supports is used).
   */
  interaction?: Interaction | readonly Interaction[];
  /** Pre-registered client, Client ID Metadata Document URL, or metadata for dynamic registration. */
  client?: ClientConfig;
  /**
   * Scopes to ask for; default: the server's challenge, else its resource metadata's
   * scopes_supported. A challenge (401, or 403 `insufficient_scope`) that answers a request is
   * authoritative for it (MCP): the re-authorization asks for its scopes, those held, and these.
   */
  scopes?: string[];
  /**
   * Extra parameters of every authorization request: `prompt`, `login_hint`, `acr_values`,
   * `ui_locales`, or any other the authorization server understands. Those the library sets
   * itself (`client_id`, `redirect_uri`, `state`, `code_challenge`, `resource`, `scope`,
   * `nonce`, ...) are refused with `invalid_configuration`. `authorize()` and
   * `beginAuthorization()` may add or override some per call.
   */
  authorizationParams?: AuthorizationParams;
  /** Refresh this long before expiry (at most half the token's life). Default 60 s. */
  refreshSkewMs?: number;
  /** Step-up authorizations per request. Default 2. */
  maxStepUps?: number;
  /**
   * On a 401 from the MCP server, refresh (or re-authorize) and replay the request once.
   * Default true; false hands every 401 to the caller (so log in first with `authorize()`).
   */
  replayOnUnauthorized?: boolean;
  /** The store lock taken around a refresh, so that processes sharing a store refresh once. */
  lock?: {
    /** How long a held lock lives if its holder dies, in ms. Default 30 s. */
    ttlMs?: number;
    /** How long to wait for a lock held elsewhere before failing with `store_lock_timeout`, in ms. Default 60 s. */
    timeoutMs?: number;
  };
  /** Observe each state of the authorization flow (plain values). */
  onState?: (state: FlowState) => void;
}

/**
 * Extra parameters of the authorization request (RFC 6749 §3.1 allows them; OpenID Connect
 * Core §3.1.2.1 defines `prompt`, `login_hint`, `acr_values`, `ui_locales`).
 *
 * @example
 * ```ts
 * import type { AuthorizationParams } from '@mcp-oauth/core';
 *
 * const params: AuthorizationParams = { prompt: 'consent', login_hint: 'ada@example.com', ui_locales: 'fr' };
 * ```
 */
export interface AuthorizationParams {
  /** `none`, `login`, `consent` or `select_account` (space-separated). */
  prompt?: string;
  /** The account the person is expected to sign in with. */
  login_hint?: string;
  /** Authentication context class references, space-separated. */
  acr_values?: string;
  /** Preferred languages of the pages the person sees, space-separated BCP 47 tags. */
  ui_locales?: string;
  /** Any other parameter the authorization server understands. */
  [name: string]: string | undefined;
}

/**
 * What {@link McpOAuthClient.logout} did.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * const { revoked, warnings } = await oauth.logout();
 * console.error(`revoked: ${revoked.join(', ') || 'nothing'}`);
 * for (const warning of warnings) console.error(warning.code, warning.message);
 * ```
 */
export interface LogoutResult {
  /** The tokens the server accepted to revoke (RFC 7009); empty when it has no revocation endpoint or `revoke: false`. */
  revoked: ('access_token' | 'refresh_token')[];
  /** Revocation failures; the local tokens were deleted anyway. */
  warnings: McpOAuthError[];
}

/**
 * The OAuth client for one MCP server, made by {@link createOAuthClient}. Its `fetch`
 * authorizes every request; the other methods drive the flow explicitly.
 *
 * @example
 * ```ts
 * import { createOAuthClient, type McpOAuthClient } from '@mcp-oauth/core';
 *
 * const oauth: McpOAuthClient = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * const response = await oauth.fetch(oauth.serverUrl, { method: 'POST' });
 * const info = await oauth.status();
 * if (info) console.error(`token for ${info.resource}, expires ${info.expiresAt}`);
 * ```
 */
export interface McpOAuthClient {
  /** The MCP server URL, as given in the options (a string). */
  readonly serverUrl: string;
  /**
   * Authorized fetch for this server. Pass it as the `fetch` of the SDK's StreamableHTTPClientTransport.
   * Its `signal` works as `fetch`'s: when it aborts, the request rejects at once with the signal's
   * reason, even while it waits for a refresh, a login or the store's lock. Those go on, for
   * other callers that share them, and until they end even when no caller waits any more (a
   * login until its interaction completes or times out): to end them, dispose of the client
   * (`await using`, `[Symbol.asyncDispose]`). An already-aborted signal rejects before anything
   * is sent.
   */
  readonly fetch: FetchLike;
  /**
   * The same authorization as `fetch`, as a middleware for an application's own chain (the MCP
   * SDK's `applyMiddlewares`, or by hand: `middleware()(next)`): requests to this server get the
   * token, the refresh and the replays, and go on through `next`; other requests pass untouched.
   * A request's `signal` is honoured as by `fetch` (above).
   */
  middleware(): FetchMiddleware;
  /** A valid access token, refreshed or authorized as needed. */
  getAccessToken(): Promise<string>;
  /**
   * Runs the authorization flow now (with optional scopes, and extra authorization request
   * parameters over the client's `authorizationParams`), replacing stored tokens.
   */
  authorize(options?: {
    scopes?: string[];
    authorizationParams?: AuthorizationParams;
  }): Promise<TokenInfo>;
  /** For web apps: start a redirect flow and get a serializable pending value to keep in the session. */
  beginAuthorization(options: {
    redirectUri: string;
    scopes?: string[];
    authorizationParams?: AuthorizationParams;
  }): Promise<{
    /** Where to send the browser (the authorization request, RFC 6749 §4.1.1, with PKCE). */
    authorizationUrl: string;
    /** Keep it (server-side session) and pass it to `completeAuthorization`; it holds the PKCE verifier. */
    pending: PendingAuthorization;
  }>;
  /** For web apps: finish with the callback URL the browser came back with. */
  completeAuthorization(pending: PendingAuthorization, callbackUrl: string): Promise<TokenInfo>;
  /** Refreshes now, whatever the expiry. */
  refresh(): Promise<TokenInfo>;
  /**
   * Redacted information about the stored tokens, with the access token's seconds left
   * (`expiresIn`) and `isExpired`, or undefined. No request is sent.
   */
  status(): Promise<TokenStatus | undefined>;
  /**
   * Whether tokens are held that need no person to use: an access token that has not expired,
   * or a refresh token to get a new one. No request is sent, so a token the server revoked
   * still counts; `introspect()` asks the server.
   */
  hasValidTokens(): Promise<boolean>;
  /**
   * `{ authorization: 'Bearer <token>' }` for a request to this MCP server made without
   * `oauth.fetch` (another HTTP client, a websocket), refreshed or authorized as needed.
   * DPoP-bound tokens need a proof per request: then it fails with `invalid_configuration`;
   * use `oauth.fetch` (or `middleware()`).
   */
  authorizationHeaders(): Promise<{
    /** `Bearer <access token>`: a secret, never to be logged. */
    authorization: string;
  }>;
  /**
   * RFC 7009 revocation of one token (this client's or another the application holds), with
   * an optional `token_type_hint` (inferred for this client's own tokens). Stored tokens stay
   * stored: `logout()` revokes and forgets them. Fails with `revocation_failed` (the server's
   * answer, or no revocation endpoint advertised).
   */
  revokeToken(token: string, hint?: 'access_token' | 'refresh_token'): Promise<void>;
  /**
   * RFC 7662 introspection of the stored access (or refresh) token: what
   * `introspect(oauth, which)` of `@mcp-oauth/core/management` does. The result carries no token.
   */
  introspect(which?: 'access_token' | 'refresh_token'): Promise<IntrospectionResult>;
  /**
   * For `await using`: ends what the client has under way and waits for it to settle. Its
   * OAuth requests, device polling, redirect waits and rate-limit waits are aborted (they fail
   * with `interaction_failed`, "disposed"); a refresh or authorization under way settles
   * before it resolves. Requests sent with `oauth.fetch` are the caller's and are not awaited.
   * A disposed client answers `status()` but sends no more OAuth requests: create another.
   */
  [Symbol.asyncDispose](): Promise<void>;
  /**
   * Who signed in, from the validated OpenID Connect ID token: undefined unless the
   * authorization asked for the `openid` scope (e.g. `scopes: ['openid', 'mcp:read']`).
   *
   * @example
   * const me = await oauth.identity();
   * if (me) console.log(`signed in as ${me.email ?? me.subject}`);
   */
  identity(): Promise<Identity | undefined>;
  /** RFC 7009 revocation of the refresh and access tokens, then local deletion (always). */
  logout(options?: { revoke?: boolean }): Promise<LogoutResult>;
  /** Discovery (cached unless `refresh`). */
  discover(options?: { refresh?: boolean }): Promise<DiscoveryRecord>;
  /**
   * What `@mcp-oauth/core/management` (introspection, RFC 7592) works with: the functions there
   * take the client and read this. Not a stable API for applications.
   *
   * @internal
   */
  readonly internals: ClientInternals;
}
