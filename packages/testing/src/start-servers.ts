import type { ClientMetadata } from 'oidc-provider';
import {
  type AuthServer,
  type AuthServerOptions,
  type AuthServerSettings,
  startAuthorizationServer,
} from './auth-server.ts';
import type { FetchLike } from './browser.ts';
import { completeAuthorization } from './complete-authorization.ts';
import { type McpServerOptions, type McpTestServer, startMcpServer } from './mcp-server.ts';
import type { GrantFilter } from './revoke-grants.ts';
import type { ToolScopes } from './step-up.ts';
import type { TokenFault } from './token-faults.ts';

/**
 * Options of `startMcpOAuthServers`. Every one is optional.
 *
 * @example
 * ```ts
 * import { type McpOAuthServersOptions, startMcpOAuthServers } from '@mcp-oauth/testing';
 *
 * const options: McpOAuthServersOptions = {
 *   accessTokenTtlSeconds: 2,
 *   refreshTokenRotation: true,
 *   toolScopes: { echo: 'mcp:write' },
 * };
 * await using servers = await startMcpOAuthServers(options);
 * ```
 */
export interface McpOAuthServersOptions {
  /** Access token lifetime in seconds (default 3600). Changeable later with `update()`. */
  accessTokenTtlSeconds?: number | undefined;
  /** A new refresh token on every refresh (default true). Changeable later with `update()`. */
  refreshTokenRotation?: boolean | undefined;
  /**
   * With rotation, reusing a used refresh token revokes the whole grant (default true).
   * Changeable later with `update()`.
   */
  reuseDetection?: boolean | undefined;
  /**
   * DPoP (RFC 9449) (default 'off'): 'off' = Bearer tokens only, and the authorization server
   * does not advertise DPoP; 'accepted' = both servers take DPoP-bound tokens, Bearer ones too;
   * 'required' = the MCP server takes only DPoP-bound tokens (and says so in its metadata).
   */
  dpop?: 'off' | 'accepted' | 'required' | undefined;
  /** Open dynamic client registration, RFC 7591 (default true). */
  registration?: boolean | undefined;
  /**
   * Pre-registered clients (oidc-provider client metadata), for clients that do not register
   * dynamically, e.g. `{ client_id: 'my-app', token_endpoint_auth_method: 'none',
   * redirect_uris: ['http://127.0.0.1/callback'], grant_types: ['authorization_code',
   * 'refresh_token'], response_types: ['code'] }`.
   */
  clients?: ClientMetadata[] | undefined;
  /**
   * Scopes the MCP server demands per tool, merged over `{ admin_reset: 'mcp:admin' }`: a
   * `tools/call` of such a tool with a token lacking them gets 403 `insufficient_scope` (step-up).
   */
  toolScopes?: ToolScopes | undefined;
  /** Scopes every MCP request needs (default none). */
  requiredScopes?: string[] | undefined;
  /**
   * `scopes_supported` of the MCP server's metadata (default ['mcp:read', 'mcp:write']: a
   * client asking for these lacks `mcp:admin` and must step up for `admin_reset`).
   */
  scopesSupported?: string[] | undefined;
  /** Scopes the authorization server knows (default openid offline_access mcp:read mcp:write mcp:admin). */
  scopes?: string[] | undefined;
  /** The account every login signs in as, unless the request has a `login_hint` (default 'user-1'). */
  accountId?: string | undefined;
  /** Consent ends with `access_denied` (default false). Changeable later with `update()`. */
  denyConsent?: boolean | undefined;
  /** Every other option of the authorization server, for what the above does not cover. */
  authServer?: Omit<AuthServerOptions, keyof McpOAuthServersOptions> | undefined;
  /** Every other option of the MCP server, for what the above does not cover. */
  mcpServer?: Omit<McpServerOptions, 'authServer' | keyof McpOAuthServersOptions> | undefined;
}

/**
 * What the servers counted so far (live values; `resetCounters()` zeroes them).
 *
 * @example
 * ```ts
 * import { type McpOAuthCounters, startMcpOAuthServers } from '@mcp-oauth/testing';
 *
 * await using servers = await startMcpOAuthServers();
 * // ... the client under test logs in and calls a tool ...
 * const counters: McpOAuthCounters = servers.counters;
 * if (counters.authorizations !== 1) throw new Error('expected exactly one login');
 * ```
 */
export interface McpOAuthCounters {
  /** Dynamic client registrations (RFC 7591). */
  readonly registrations: number;
  /** Authorizations granted (codes issued, device codes approved). */
  readonly authorizations: number;
  /** Successful refresh_token grants. */
  readonly refreshes: number;
  /** Token endpoint answers with `invalid_grant`. */
  readonly invalidGrant: number;
  /** Token endpoint requests (all grant types, successful or not, faults excluded). */
  readonly tokenRequests: number;
  /** Grants revoked (by `revokeGrants()` or by refresh token reuse detection). */
  readonly grantsRevoked: number;
  /** Token endpoint requests that met an injected fault (`injectTokenFault`). */
  readonly tokenFaults: number;
  /** Requests to the MCP endpoint. */
  readonly mcpRequests: number;
  /** MCP server answers 401 (no, expired or invalid token). */
  readonly unauthorized: number;
  /** MCP server answers 403 (insufficient scope: step-up). */
  readonly forbidden: number;
}

/**
 * A running authorization server and MCP server; dispose with `await using` or `close()`.
 *
 * @example
 * ```ts
 * import { type McpOAuthServers, startMcpOAuthServers } from '@mcp-oauth/testing';
 *
 * const servers: McpOAuthServers = await startMcpOAuthServers();
 * try {
 *   // your client: serverUrl = servers.mcpUrl, "open the browser" = servers.approve
 *   servers.injectTokenFault({ status: 503, times: 2 }); // the next two token requests fail
 * } finally {
 *   await servers.close();
 * }
 * ```
 */
export interface McpOAuthServers extends AsyncDisposable {
  /** The MCP endpoint, `http://127.0.0.1:PORT/mcp`: give it to your client as the server URL. */
  readonly mcpUrl: string;
  /** The authorization server's issuer, `http://127.0.0.1:PORT2`. */
  readonly issuer: string;
  /** The protected resource metadata URL (RFC 9728) of the MCP server. */
  readonly resourceMetadataUrl: string;
  /** The device verification page (RFC 8628 `verification_uri`); undefined with `deviceFlow: false`. */
  readonly deviceVerificationUri: string | undefined;
  /** Live counters of both servers. */
  readonly counters: McpOAuthCounters;
  /** Zeroes every counter. */
  resetCounters(): void;
  /**
   * Completes an authorization in place of the person and the browser: walks the authorization
   * URL through login and consent (approved headlessly) and returns the URL the browser would
   * have been sent to: your redirect URI with `code`, `state` and `iss` (or `error`). Nothing
   * needs to listen there. Use it as your client's "open the browser" step.
   */
  approve(authorizationUrl: string | URL, options?: { fetch?: FetchLike }): Promise<string>;
  /** Approves a pending device authorization (RFC 8628) by its user code, as the person would. */
  approveDevice(userCode: string): Promise<void>;
  /** Forgets every dynamically registered client (as a server restart with an in-memory store). */
  forgetClients(): Promise<string[]>;
  /** Revokes grants (all, or by `clientId` / `accountId`): the next refresh gets `invalid_grant`. */
  revokeGrants(filter?: GrantFilter): Promise<string[]>;
  /** Queues a fault (status, delay, drop, reset) for the next token endpoint request(s). */
  injectTokenFault(fault: TokenFault): void;
  /** Removes every queued token endpoint fault. */
  clearTokenFaults(): void;
  /** Changes the access token lifetime, rotation, reuse detection or consent from now on. */
  update(changes: Partial<AuthServerSettings>): void;
  /** The authorization server, for everything else (stats by path, introspection, the provider). */
  readonly authServer: AuthServer;
  /** The MCP server, for everything else (`tokenSeen`, stats). */
  readonly mcpServer: McpTestServer;
  /** Stops both servers and ends their connections. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts a real OAuth authorization server (oidc-provider) and a real MCP server (the official
 * SDK) protected by its tokens, both on 127.0.0.1 ephemeral ports, with consent approved
 * headlessly (`approve()`), counters and controls.
 *
 * @example
 * ```ts
 * import { startMcpOAuthServers } from '@mcp-oauth/testing';
 *
 * await using servers = await startMcpOAuthServers({ accessTokenTtlSeconds: 60 });
 * // point your MCP client at servers.mcpUrl; open the "browser" with servers.approve(url)
 * ```
 */
export async function startMcpOAuthServers(
  options: McpOAuthServersOptions = {},
): Promise<McpOAuthServers> {
  const dpop = options.dpop ?? 'off';
  const authServer = await startAuthorizationServer({
    ...options.authServer,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    refreshTokenRotation: options.refreshTokenRotation,
    reuseDetection: options.reuseDetection,
    dpop: dpop !== 'off',
    registration: options.registration,
    clients: options.clients,
    scopes: options.scopes,
    accountId: options.accountId,
    denyConsent: options.denyConsent,
  });
  let mcpServer: McpTestServer;
  try {
    mcpServer = await startMcpServer({
      ...options.mcpServer,
      authServer,
      dpop,
      toolScopes: options.toolScopes,
      requiredScopes: options.requiredScopes,
      scopesSupported: options.scopesSupported,
    });
  } catch (error) {
    await authServer.close();
    throw error;
  }
  const as = authServer.stats;
  const mcp = mcpServer.stats;
  const counters: McpOAuthCounters = {
    get registrations() {
      return as.registrations;
    },
    get authorizations() {
      return as.authorizations;
    },
    get refreshes() {
      return as.refreshSuccess;
    },
    get invalidGrant() {
      return as.invalidGrant;
    },
    get tokenRequests() {
      return Object.values(as.tokenRequests).reduce((sum, n) => sum + n, 0);
    },
    get grantsRevoked() {
      return as.grantsRevoked;
    },
    get tokenFaults() {
      return as.tokenFaults;
    },
    get mcpRequests() {
      return mcp.mcpRequests;
    },
    get unauthorized() {
      return mcp.unauthorized;
    },
    get forbidden() {
      return mcp.forbidden;
    },
  };
  // printed (console.log, a test's failure message) and serialized as their current values,
  // not as "[Getter]"
  const snapshot = () =>
    Object.fromEntries(
      Object.keys(counters).map((k) => [k, counters[k as keyof McpOAuthCounters]]),
    );
  Object.defineProperties(counters, {
    toJSON: { value: snapshot, enumerable: false },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: snapshot, enumerable: false },
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= Promise.all([mcpServer.close(), authServer.close()]).then(() => undefined);
    return closing;
  };
  return {
    mcpUrl: mcpServer.url,
    issuer: authServer.issuer,
    resourceMetadataUrl: mcpServer.resourceMetadataUrl,
    deviceVerificationUri: authServer.deviceVerificationUri,
    counters,
    resetCounters() {
      authServer.resetStats();
      mcpServer.resetStats();
    },
    approve: (authorizationUrl, approveOptions) =>
      completeAuthorization(authorizationUrl, approveOptions),
    approveDevice: (userCode) => authServer.approveDevice(userCode),
    forgetClients: () => authServer.forgetClients(),
    revokeGrants: (filter) => authServer.revokeGrants(filter),
    injectTokenFault: (fault) => authServer.injectTokenFault(fault),
    clearTokenFaults: () => authServer.clearTokenFaults(),
    update: (changes) => authServer.update(changes),
    authServer,
    mcpServer,
    close,
    [Symbol.asyncDispose]: close,
  };
}
