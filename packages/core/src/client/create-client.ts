import { generateRandomState } from 'oauth4webapi';
import type { PendingAuthorization } from '../authorization/pending.ts';
import type { ServerQuirks } from '../discovery/quirks.ts';
import type { DpopSupport } from '../dpop/support.ts';
import { ensureMcpOAuthError, McpOAuthError } from '../errors/error.ts';
import type { EventListener } from '../events/types.ts';
import { createAuthorizedFetch } from '../fetch/authorized-fetch.ts';
import type { FlowContext } from '../flow/context.ts';
import { discover } from '../flow/discover.ts';
import type { FlowState } from '../flow/states.ts';
import {
  beginTransition,
  completeRedirectTransition,
  discoverTransition,
  registerTransition,
} from '../flow/transitions.ts';
import { guardedFetch } from '../http/guarded-fetch.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, type FetchLike } from '../http/types.ts';
import type { Interaction } from '../interaction/types.ts';
import { publishEvent } from '../observe/publish-event.ts';
import { traceHttp } from '../observe/trace-http.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import { clientRejected, rejectsClient } from '../registration/rejects-client.ts';
import { resolveClient } from '../registration/resolve-client.ts';
import { memoryStore } from '../store/memory.ts';
import type { DiscoveryRecord } from '../store/records.ts';
import type { TokenStore } from '../store/types.ts';
import { DEFAULT_RETRY, type RetryPolicy } from '../tokens/retry.ts';
import { isLoopbackUrl } from '../util/secure-url.ts';
import type { Identity } from './identity.ts';
import { registerInternals } from './internals.ts';
import { ServerSession } from './session.ts';
import { type TokenInfo, tokenInfo } from './token-info.ts';

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
export interface OAuthClientOptions {
  /** The MCP server URL (its canonical form is the RFC 8707 resource). */
  serverUrl: string | URL;
  /** Where discovery, registrations and tokens are kept. Default: in memory. */
  store?: TokenStore;
  /** HTTP for everything. Default: globalThis.fetch. `@mcp-oauth/transport-fetch` gives proxies, timeouts and retries. */
  fetch?: FetchLike;
  /**
   * How authorization is obtained: a redirect interaction (e.g. `@mcp-oauth/loopback`),
   * `deviceInteraction({ prompt })`, `clientCredentials()`, or several in order of
   * preference (the first whose grant the server supports is used).
   */
  interaction?: Interaction | readonly Interaction[];
  /** Pre-registered client, Client ID Metadata Document URL, or metadata for dynamic registration. */
  client?: ClientConfig;
  /** Scopes to ask for; default: the server's challenge, else its resource metadata's scopes_supported. */
  scopes?: string[];
  /** Opt-in deviations for non-conforming servers. */
  quirks?: ServerQuirks;
  /** Called with each `McpOAuthEvent` (never carries a secret). A listener that throws is ignored. */
  onEvent?: EventListener;
  /** Refresh this long before expiry (at most half the token's life). Default 60 s. */
  refreshSkewMs?: number;
  /** Retries of transient token endpoint failures (network, timeout, 5xx, 429), with backoff, jitter and `Retry-After`. */
  retry?: Partial<RetryPolicy>;
  /** Cap on OAuth response bodies. Default 256 KiB. */
  maxResponseBytes?: number;
  /** Step-up authorizations per request. Default 2. */
  maxStepUps?: number;
  /**
   * On a 401 from the MCP server, refresh (or re-authorize) and replay the request once.
   * Default true; false hands every 401 to the caller (so log in first with `authorize()`).
   */
  replayOnUnauthorized?: boolean;
  /**
   * Plain http for OAuth URLs (metadata, endpoints, the MCP server): `'loopback'` on
   * loopback addresses only, `true` anywhere, `false` never. Default: `'loopback'` when the
   * MCP server URL is itself a loopback address (local development), otherwise `false`.
   */
  allowInsecureHttp?: boolean | 'loopback';
  /**
   * DPoP (RFC 9449) sender-constrained tokens: pass `dpop()` (from this package) to bind
   * tokens whenever the authorization server advertises `dpop_signing_alg_values_supported`
   * (or always, with `dpop({ mode: 'always' })`). Without it, tokens are Bearer tokens and
   * the DPoP code is not bundled.
   */
  dpop?: DpopSupport;
  /** The store lock taken around a refresh, so that processes sharing a store refresh once. */
  lock?: {
    /** How long a held lock lives if its holder dies, in ms. Default 30 s. */
    ttlMs?: number;
    /** How long to wait for a lock held elsewhere before failing with `store_lock_timeout`, in ms. Default 60 s. */
    timeoutMs?: number;
  };
  /** The clock, epoch ms. Default `Date.now`; for tests. */
  now?: () => number;
  /** The source of `state` values (and other random strings). Default: 32 random bytes, base64url; for tests. */
  randomString?: () => string;
  /** Observe each state of the authorization flow (plain values). */
  onState?: (state: FlowState) => void;
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
  /** Authorized fetch for this server. Pass it as the `fetch` of the SDK's StreamableHTTPClientTransport. */
  readonly fetch: FetchLike;
  /** A valid access token, refreshed or authorized as needed. */
  getAccessToken(): Promise<string>;
  /** Runs the authorization flow now (with optional scopes), replacing stored tokens. */
  authorize(options?: { scopes?: string[] }): Promise<TokenInfo>;
  /** For web apps: start a redirect flow and get a serializable pending value to keep in the session. */
  beginAuthorization(options: { redirectUri: string; scopes?: string[] }): Promise<{
    /** Where to send the browser (the authorization request, RFC 6749 §4.1.1, with PKCE). */
    authorizationUrl: string;
    /** Keep it (server-side session) and pass it to `completeAuthorization`; it holds the PKCE verifier. */
    pending: PendingAuthorization;
  }>;
  /** For web apps: finish with the callback URL the browser came back with. */
  completeAuthorization(pending: PendingAuthorization, callbackUrl: string): Promise<TokenInfo>;
  /** Refreshes now, whatever the expiry. */
  refresh(): Promise<TokenInfo>;
  /** Redacted information about the stored tokens, or undefined. */
  status(): Promise<TokenInfo | undefined>;
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
}

/**
 * Creates the OAuth client for one MCP server. Nothing happens on the network until the first
 * request: discovery, registration, consent and the token exchange run when a token is needed.
 *
 * @example
 * ```ts
 * import { createOAuthClient, memoryStore } from '@mcp-oauth/core';
 * import { clientCredentials } from '@mcp-oauth/core/client-credentials';
 *
 * const oauth = createOAuthClient({
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   store: memoryStore(),
 *   interaction: clientCredentials(),
 *   client: { clientId: 'my-service', clientSecret: 'from-your-secret-store' },
 * });
 * const token = await oauth.getAccessToken();
 * ```
 */
export function createOAuthClient(options: OAuthClientOptions): McpOAuthClient {
  const serverUrl = String(options.serverUrl);
  const baseFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const quirks = options.quirks ?? {};
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  let oauthFetch = traceHttp(guardedFetch(baseFetch, maxBytes));
  if (quirks.allowMissingTokenType) {
    // opt-in quirk: its code is loaded only by clients that set it
    const plain = oauthFetch;
    const quirked = import('../http/token-type-quirk.ts').then((m) => m.defaultTokenType(plain));
    oauthFetch = async (input, init) => (await quirked)(input, init);
  }
  const listener = options.onEvent;
  const ctx: FlowContext = {
    fetch: baseFetch,
    oauthFetch,
    store: options.store ?? memoryStore(),
    now: options.now ?? Date.now,
    randomString: options.randomString ?? generateRandomState,
    emit: (event) => {
      publishEvent(event);
      try {
        listener?.(event);
      } catch {
        // a listener's failure must not break the flow
      }
    },
    quirks,
    maxResponseBytes: maxBytes,
    allowInsecureHttp:
      options.allowInsecureHttp ?? (isLoopbackUrl(new URL(serverUrl)) && 'loopback'),
    ...(options.dpop ? { dpop: options.dpop } : {}),
  };
  const config = options.client ?? {};
  const session = new ServerSession(ctx, {
    ...options, // interaction, scopes, onState
    serverUrl,
    config,
    refreshSkewMs: options.refreshSkewMs ?? 60_000,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    lockTtlMs: options.lock?.ttlMs ?? 30_000,
    lockTimeoutMs: options.lock?.timeoutMs ?? 60_000,
  });

  const fail = (error: unknown): never => {
    const e = ensureMcpOAuthError(error, 'invalid_response', 'Unexpected failure.');
    ctx.emit({ type: 'failure', code: e.code, message: e.message });
    throw e;
  };
  const reported = <T>(operation: () => Promise<T>): Promise<T> => operation().catch(fail);

  const authorizedFetch = createAuthorizedFetch(ctx, session, options);

  const client: McpOAuthClient = {
    serverUrl,
    fetch: (input, init) => authorizedFetch(input, init).catch(fail),
    getAccessToken: () =>
      reported(
        async () =>
          ((await session.usableOrAuthorize()) ?? (await session.authorize())).accessToken,
      ),
    authorize: (o = {}) =>
      reported(async () =>
        tokenInfo(await session.authorize(o.scopes ? { scopes: o.scopes } : {})),
      ),
    beginAuthorization: (o) =>
      reported(async () => {
        const scopes = o.scopes ?? options.scopes;
        const discovered = await discoverTransition(ctx, {
          step: 'start',
          serverUrl,
          grant: 'redirect',
          ...(scopes
            ? { requestedScopes: scopes }
            : await (await import('../discovery/probe-challenge.ts')).probeChallenge(
                ctx,
                serverUrl,
              )),
        } as never);
        const registered = await registerTransition(ctx, discovered, config, o.redirectUri);
        const begun = await beginTransition(ctx, registered, config);
        if (begun.step !== 'awaiting_redirect')
          throw new McpOAuthError(
            'invalid_configuration',
            'beginAuthorization is for the redirect flow.',
          );
        return { authorizationUrl: begun.pending.authorizationUrl, pending: begun.pending };
      }),
    completeAuthorization: (pending, callbackUrl) =>
      reported(async () => {
        if (pending?.kind !== 'pending_authorization' || pending.serverUrl !== serverUrl) {
          throw new McpOAuthError(
            'invalid_configuration',
            'This pending authorization does not belong to this server.',
          );
        }
        const discovery = await session.requireDiscovery();
        const client = await resolveClient(ctx, discovery.authorizationServerMetadata, config, {
          redirectUri: pending.redirectUri,
          grantTypes: ['authorization_code'],
        });
        const done = await completeRedirectTransition(
          ctx,
          {
            step: 'awaiting_redirect',
            serverUrl,
            grant: 'redirect',
            discovery,
            client,
            pending,
          },
          callbackUrl,
          config,
        ).catch(async (error: unknown) => {
          // a registration the server forgot is dropped: the next beginAuthorization registers anew
          throw rejectsClient(error) ? await clientRejected(ctx, client, error) : error;
        });
        return tokenInfo(done.tokens);
      }),
    refresh: () =>
      reported(async () => tokenInfo(await session.refresh(await session.requireTokens()))),
    status: () =>
      reported(async () => {
        const tokens = await session.storedTokens();
        return tokens ? tokenInfo(tokens) : undefined;
      }),
    identity: () => reported(async () => (await import('./identity.ts')).identity(session)),
    // logout and revocation: loaded when a user logs out, not in the application's first chunk
    logout: (o = {}) =>
      reported(async () => (await import('./logout.ts')).logout(ctx, session, config, o)),
    discover: (o = {}) =>
      reported(() => discover(ctx, serverUrl, o.refresh ? { refresh: true } : {})),
  };
  registerInternals(client, { ctx, session, config, reported });
  return client;
}
