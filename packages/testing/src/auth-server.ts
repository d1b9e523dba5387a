import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { JWK } from 'jose';
import Provider, {
  type ClientMetadata,
  type Configuration,
  type JWK as ProviderJwk,
} from 'oidc-provider';
import { approveDevice } from './approve-device.ts';
import { type AuthServerStats, createAuthStats, INTERNAL_HEADER } from './auth-stats.ts';
import { headlessInteraction } from './interactions.ts';
import { generateSigningKey } from './keys.ts';
import { listenLoopback } from './listen.ts';
import { memoryAdapterFactory } from './memory-adapter.ts';
import { buildProviderConfiguration, type ProviderSettings } from './provider-config.ts';
import { type GrantFilter, trackGrants } from './revoke-grants.ts';
import { createTokenFaults, type TokenFault } from './token-faults.ts';

/**
 * Options of `startAuthorizationServer`. Every one is optional.
 *
 * @example
 * ```ts
 * import { type AuthServerOptions, startAuthorizationServer } from '@mcp-oauth/testing';
 *
 * const options: AuthServerOptions = {
 *   issuerPath: '/realms/demo', // looks like Keycloak
 *   accessTokenTtlSeconds: 5,
 *   registration: false,
 *   clients: [
 *     {
 *       client_id: 'my-app',
 *       token_endpoint_auth_method: 'none',
 *       redirect_uris: ['http://127.0.0.1/callback'],
 *     },
 *   ],
 * };
 * await using as = await startAuthorizationServer(options);
 * ```
 */
export interface AuthServerOptions {
  /** Port on 127.0.0.1 (default 0: ephemeral). */
  port?: number | undefined;
  /** Path of the issuer, e.g. '/realms/demo' to mimic Keycloak (default: none). */
  issuerPath?: string | undefined;
  /** Access token lifetime, in seconds (default 3600). */
  accessTokenTtlSeconds?: number | undefined;
  /** Rotate the refresh token on every use (default true). Reusing a rotated one revokes the grant. */
  refreshTokenRotation?: boolean | undefined;
  /**
   * Refresh token reuse detection, with rotation (default true): presenting a rotated (used)
   * refresh token again gets `invalid_grant` and revokes the whole grant, so the newest refresh
   * token dies too (OAuth 2.0 Security BCP §4.14.2). `false`: the used token gets
   * `invalid_grant` and nothing else happens.
   */
  reuseDetection?: boolean | undefined;
  /** Scopes offered (default openid, offline_access, mcp:read, mcp:write, mcp:admin). */
  scopes?: string[] | undefined;
  /** Device authorization grant, RFC 8628 (default true). */
  deviceFlow?: boolean | undefined;
  /** client_credentials grant (default true). */
  clientCredentials?: boolean | undefined;
  /**
   * DPoP, RFC 9449 (default true, as oidc-provider's own default: its metadata advertises
   * `dpop_signing_alg_values_supported`, whatever the resource servers behind it accept).
   */
  dpop?: boolean | undefined;
  /** Open dynamic registration (RFC 7591) and management (RFC 7592) (default true). */
  registration?: boolean | undefined;
  /**
   * Require this initial access token (RFC 7591 §3) as a Bearer token on registration requests
   * (default: none, registration is open). Without it or with another value, oidc-provider
   * answers 401 `invalid_token`.
   */
  initialAccessToken?: string | undefined;
  /** Pre-registered clients (oidc-provider client metadata). */
  clients?: ClientMetadata[] | undefined;
  /** Deny consent: authorizations end with `access_denied` (default false). */
  denyConsent?: boolean | undefined;
  /** Account every login signs in as (default 'user-1'). */
  accountId?: string | undefined;
  /**
   * Which metadata documents answer (default 'both'): 'both' serves RFC 8414
   * (`/.well-known/oauth-authorization-server` with path insertion for path issuers) and
   * OpenID Connect discovery; 'oidc-only' answers 404 for every RFC 8414 URL; 'none' answers
   * 404 for every metadata URL (a server whose endpoints a client must be given).
   */
  discovery?: 'both' | 'oidc-only' | 'none' | undefined;
  /** Last-resort hook to adjust the oidc-provider configuration before it is built. */
  configure?: ((configuration: Configuration) => void) | undefined;
}

/**
 * What `AuthServer.update()` may change while the server runs (from the next request on).
 *
 * @example
 * ```ts
 * import { type AuthServerSettings, startAuthorizationServer } from '@mcp-oauth/testing';
 *
 * await using as = await startAuthorizationServer();
 * const changes: Partial<AuthServerSettings> = { accessTokenTtlSeconds: 2, denyConsent: true };
 * as.update(changes);
 * ```
 */
export interface AuthServerSettings {
  /** Lifetime of access tokens issued from now on, in seconds. */
  accessTokenTtlSeconds: number;
  /** A new refresh token on every refresh. */
  refreshTokenRotation: boolean;
  /** With rotation, reusing a used refresh token revokes its whole grant. */
  reuseDetection: boolean;
  /** Consent ends with `access_denied`. */
  denyConsent: boolean;
}

/**
 * A running oidc-provider on 127.0.0.1, with its URLs, counters and controls. Started by
 * `startAuthorizationServer`; dispose with `await using` or `close()`.
 *
 * @example
 * ```ts
 * import { obtainTokens, startAuthorizationServer } from '@mcp-oauth/testing';
 *
 * await using as = await startAuthorizationServer();
 * const tokens = await obtainTokens({ issuer: as.issuer, scope: 'openid offline_access' });
 * console.log(await as.introspect(tokens.refreshToken ?? ''));
 * console.log(as.stats.tokenRequests); // e.g. { authorization_code: 1 }
 * ```
 */
export interface AuthServer extends AsyncDisposable {
  /** The issuer, e.g. `http://127.0.0.1:PORT/realms/demo`. */
  issuer: string;
  /** The origin, `http://127.0.0.1:PORT`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** The JWKS URI and its content (public keys), for resource servers verifying tokens. */
  jwksUri: string;
  /** The public signing keys served at `jwksUri`. */
  publicJwks: {
    /** The keys (JWK), RS256. */
    keys: JWK[];
  };
  /** The device verification page (RFC 8628 `verification_uri`); undefined with `deviceFlow: false`. */
  deviceVerificationUri: string | undefined;
  /** Live counters of the requests it received and what it did. */
  stats: AuthServerStats;
  /** Zeroes every counter of `stats`. */
  resetStats(): void;
  /** The oidc-provider instance, for anything not covered here. */
  provider: Provider;
  /**
   * Approves a pending device authorization by its user code, as a person would. Rejects with
   * `deviceFlow: false`.
   */
  approveDevice(userCode: string): Promise<void>;
  /**
   * RFC 7662 introspection through the real endpoint, as an internal client (not counted in
   * stats). JWT access tokens are not introspectable by oidc-provider (`active: false`);
   * refresh tokens and opaque access tokens are.
   */
  introspect(token: string): Promise<Record<string, unknown>>;
  /**
   * Forgets every dynamically registered client (RFC 7591), as a server with an in-memory
   * client store does when it restarts, or as an admin deleting them: the token, device and
   * revocation endpoints then answer `invalid_client`, the authorization endpoint an error page,
   * and RFC 7592 management 401. Tokens and grants are kept. Returns the forgotten client ids.
   */
  forgetClients(): Promise<string[]>;
  /**
   * Revokes grants (all of them, or those of a client or account), as an admin or the user on
   * a "connected apps" page would: their refresh tokens, codes and opaque access tokens die, so
   * the next refresh gets `invalid_grant`. JWT access tokens already issued stay valid at the
   * MCP server until they expire. Returns the revoked grant ids.
   */
  revokeGrants(filter?: GrantFilter): Promise<string[]>;
  /**
   * Queues a fault for the next request(s) to the token endpoint: an HTTP status, a delay, a
   * dropped request (never answered) or a reset connection. See `TokenFault`.
   */
  injectTokenFault(fault: TokenFault): void;
  /** Removes every queued token endpoint fault. */
  clearTokenFaults(): void;
  /** The settings in force (a copy). */
  readonly settings: AuthServerSettings;
  /** Changes settings while the server runs; they apply from the next request on. */
  update(changes: Partial<AuthServerSettings>): void;
  /** Stops the server and ends its connections. */
  close(): Promise<void>;
}

const DEFAULT_SCOPES = ['openid', 'offline_access', 'mcp:read', 'mcp:write', 'mcp:admin'];
const RFC8414 = '/.well-known/oauth-authorization-server';

function normalizeIssuerPath(path: string | undefined): string {
  if (!path || path === '/') return '';
  return `/${path.replace(/^\/+|\/+$/g, '')}`;
}

/**
 * Starts oidc-provider 9 on 127.0.0.1 as a complete OAuth authorization server for MCP tests:
 * DCR, PKCE S256 required, refresh rotation, resource indicators issuing RFC 9068 JWT access
 * tokens (audience = the resource), device flow, client credentials, revocation,
 * introspection, RFC 9207 `iss`, and headless auto-approved consent.
 *
 * @example
 * ```ts
 * import { startAuthorizationServer } from '@mcp-oauth/testing';
 *
 * await using as = await startAuthorizationServer({ accessTokenTtlSeconds: 60 });
 * const metadata = await fetch(`${as.issuer}/.well-known/oauth-authorization-server`);
 * console.log((await metadata.json()).token_endpoint);
 * ```
 */
export async function startAuthorizationServer(
  options: AuthServerOptions = {},
): Promise<AuthServer> {
  const listening = await listenLoopback(options.port);
  const issuerPath = normalizeIssuerPath(options.issuerPath);
  const issuer = `${listening.origin}${issuerPath}`;
  const { privateJwk, publicJwks } = await generateSigningKey();
  const internalClient: ClientMetadata = {
    client_id: 'test-servers-internal',
    client_secret: randomBytes(24).toString('base64url'),
    grant_types: [],
    response_types: [],
    redirect_uris: [],
  };

  const settings: ProviderSettings = {
    issuerPath,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    refreshTokenRotation: options.refreshTokenRotation ?? true,
    scopes: options.scopes ?? DEFAULT_SCOPES,
    deviceFlow: options.deviceFlow ?? true,
    clientCredentials: options.clientCredentials ?? true,
    dpop: options.dpop ?? true,
    registration: options.registration ?? true,
    initialAccessToken: options.initialAccessToken,
    clients: [...(options.clients ?? []), internalClient],
    signingKey: privateJwk as ProviderJwk,
  };
  const configuration = buildProviderConfiguration(settings);
  configuration.adapter = memoryAdapterFactory();
  options.configure?.(configuration);
  const provider = new Provider(issuer, configuration);
  const policy = {
    accountId: options.accountId ?? 'user-1',
    denyConsent: options.denyConsent ?? false,
    reuseDetection: options.reuseDetection ?? true,
  };

  // Without reuse detection, a rotated refresh token is deleted instead of marked as used: a
  // second use then finds nothing (invalid_grant) and oidc-provider has no reuse to punish.
  const refreshTokenModel = provider.RefreshToken.prototype as unknown as {
    consume(): Promise<void>;
    destroy(): Promise<void>;
  };
  const consume = refreshTokenModel.consume;
  refreshTokenModel.consume = function (this: typeof refreshTokenModel) {
    return policy.reuseDetection ? consume.call(this) : this.destroy();
  };
  const grants = trackGrants(provider);

  // every client registered through the registration endpoint, so that forgetClients() can drop them
  const registered = new Set<string>();
  provider.on('registration_create.success', (_ctx: unknown, client: { clientId: string }) => {
    registered.add(client.clientId);
  });

  const kit = createAuthStats();
  const faults = createTokenFaults(new URL(provider.urlFor('token')).pathname, () => {
    kit.stats.tokenFaults += 1;
  });
  kit.attach(provider, {
    revocation: provider.pathFor('revocation'),
    introspection: provider.pathFor('introspection'),
  });

  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    kit.countRequest(req, res);
    faults.handle(req, res).then((handled) => {
      if (!handled) next();
    }, next);
  });
  const discovery = options.discovery ?? 'both';
  if (discovery !== 'both') {
    app.use((req, res, next) => {
      const hidden =
        req.path.includes(RFC8414) ||
        (discovery === 'none' && req.path.includes('/.well-known/openid-configuration'));
      if (hidden) res.status(404).type('text').send('not found');
      else next();
    });
  } else if (issuerPath) {
    // RFC 8414 path insertion: /.well-known/oauth-authorization-server/realms/demo
    app.get(`${RFC8414}${issuerPath}`, (req, _res, next) => {
      req.url = `${issuerPath}${RFC8414}`;
      req.originalUrl = req.url;
      next();
    });
  }
  const interaction = headlessInteraction(provider, policy);
  app.get(`${issuerPath}/interaction/:uid`, (req, res) => interaction(req, res));
  const callback = provider.callback() as (req: IncomingMessage, res: ServerResponse) => void;
  if (issuerPath) app.use(issuerPath, callback);
  else app.use(callback);
  listening.setHandler(app);

  // oidc-provider has no such route with the device flow off
  const deviceVerificationUri = settings.deviceFlow
    ? provider.urlFor('code_verification')
    : undefined;
  const introspectionUrl = provider.urlFor('introspection');
  const basic = Buffer.from(
    `${internalClient.client_id}:${String(internalClient.client_secret)}`,
  ).toString('base64');

  const close = () => {
    faults.releaseHeld();
    return listening.close();
  };
  return {
    issuer,
    url: listening.origin,
    port: listening.port,
    jwksUri: provider.urlFor('jwks'),
    publicJwks,
    deviceVerificationUri,
    stats: kit.stats,
    resetStats: kit.reset,
    provider,
    approveDevice: (userCode) =>
      deviceVerificationUri
        ? approveDevice(deviceVerificationUri, userCode)
        : Promise.reject(
            new Error(
              'This authorization server runs without the device flow (deviceFlow: false): there is no device authorization to approve.',
            ),
          ),
    async introspect(token) {
      const response = await fetch(introspectionUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          [INTERNAL_HEADER]: '1',
        },
        body: new URLSearchParams({ token }).toString(),
      });
      if (!response.ok) throw new Error(`introspection failed: ${response.status}`);
      return (await response.json()) as Record<string, unknown>;
    },
    async forgetClients() {
      const forgotten = [...registered];
      registered.clear();
      // oidc-provider keeps dynamic clients in its adapter (untyped as a static of Client)
      const { adapter } = provider.Client as unknown as {
        adapter: { destroy(id: string): Promise<void> };
      };
      for (const clientId of forgotten) await adapter.destroy(clientId);
      return forgotten;
    },
    revokeGrants: (filter) => grants.revoke(filter),
    injectTokenFault: (fault) => faults.inject(fault),
    clearTokenFaults: () => faults.clear(),
    get settings() {
      return {
        accessTokenTtlSeconds: settings.accessTokenTtlSeconds,
        refreshTokenRotation: settings.refreshTokenRotation,
        reuseDetection: policy.reuseDetection,
        denyConsent: policy.denyConsent,
      };
    },
    update(changes) {
      if (changes.accessTokenTtlSeconds !== undefined)
        settings.accessTokenTtlSeconds = changes.accessTokenTtlSeconds;
      if (changes.refreshTokenRotation !== undefined)
        settings.refreshTokenRotation = changes.refreshTokenRotation;
      if (changes.reuseDetection !== undefined) policy.reuseDetection = changes.reuseDetection;
      if (changes.denyConsent !== undefined) policy.denyConsent = changes.denyConsent;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
