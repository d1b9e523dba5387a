import type { AuthServerOptions } from '@mcp-oauth/testing';
import type { ForeignRsImplementation, RsOptions } from './servers/types.ts';

/** What the client should end up sending to the MCP server. */
export type Expected =
  /** Bearer tokens (the MCP server does not take DPoP, or the AS does not offer it). */
  | 'bearer'
  /** DPoP-bound tokens with a proof on every request (both servers support DPoP). */
  | 'dpop'
  /** A clear error naming DPoP: the MCP server requires it, its AS cannot issue it. */
  | 'dpop-error'
  /**
   * A clear error naming the way to give scopes (CLI `--scope`, library `scopes`): the servers
   * name no scope, so none is asked for, and the AS refuses an authorization without one.
   */
  | 'scope-error';

/** One cell of the matrix: an authorization server setup, an MCP server setup, what to expect. */
export interface Cell {
  id: string;
  implementation: 'oidc-provider' | 'sdk-demo' | 'better-auth';
  /** The authorization server setup, as printed in the table. */
  asSetup: string;
  /** The MCP (resource) server setup, as printed in the table. */
  rsSetup: string;
  oidc?: AuthServerOptions;
  /** Options of our MCP server (packages/testing); unused by an MCP server that is not ours. */
  rs: RsOptions;
  /** An MCP server that is not ours, configured as its documentation says (default: ours). */
  rsImplementation?: ForeignRsImplementation;
  /**
   * How the MCP server refuses admin_reset to a token without mcp:admin (default: a 403
   * `insufficient_scope` challenge, which the library answers with step-up):
   * 'refused-in-tool': a tool error (the library cannot step up: nothing says which scope);
   * 'hidden': the tool is not listed and cannot be called until the token has the scope.
   */
  adminTool?: 'refused-in-tool' | 'hidden';
  /**
   * Scopes the person gives at login (CLI `login --scope`, library `scopes`), for a server
   * that names none; default: none given, the client selects them (MCP scope selection).
   */
  loginScopes?: string[];
  /**
   * A defect of mcp-oauth that this cell shows: the cell is expected to fail with `failure`
   * (`it.fails`) until it is fixed; a different failure, or a pass, fails the test.
   */
  knownDefect?: { defect: string; failure: RegExp };
  expected: Expected;
  /** A pre-registered confidential client (no DCR): `--client-id` + MCP_OAUTH_CLIENT_SECRET. */
  preRegistered?: boolean;
  /** The AS forgets every registered client between the first calls and the next refresh. */
  forgetClients?: boolean;
  /** Access token lifetime; `undefined`: fixed by the server and too long to wait for. */
  tokenTtlSeconds: number | undefined;
  /** The server offers a scope for step-up (admin_reset needs mcp:admin). */
  stepUp: boolean;
  /** The AS has a revocation endpoint (RFC 7009). */
  revocation: boolean;
}

const TTL = 2;
const oidc = (
  asSetup: string,
  options: AuthServerOptions,
): Pick<
  Cell,
  'implementation' | 'asSetup' | 'oidc' | 'tokenTtlSeconds' | 'stepUp' | 'revocation'
> => ({
  implementation: 'oidc-provider',
  asSetup,
  oidc: { accessTokenTtlSeconds: TTL, ...options },
  tokenTtlSeconds: TTL,
  stepUp: true,
  revocation: true,
});
const BEARER_RS = 'Bearer only (SDK default), metadata at the path-aware URL';

export const CELLS: Cell[] = [
  // every authorization server implementation, each configured as its documentation says,
  // with the baseline MCP server (the official SDK's requireBearerAuth: Bearer only)
  {
    id: 'oidc-documented',
    ...oidc('oidc-provider 9, its defaults (DPoP advertised), rotation + reuse detection', {}),
    rsSetup: BEARER_RS,
    rs: {},
    expected: 'bearer',
  },
  {
    id: 'sdk-demo',
    implementation: 'sdk-demo',
    asSetup: 'MCP SDK mcpAuthRouter + demo provider (opaque 1 h tokens, no refresh)',
    rsSetup: 'Bearer only, introspection, scopes_supported [mcp:tools] (SDK example)',
    rs: {},
    expected: 'bearer',
    tokenTtlSeconds: undefined,
    stepUp: false,
    revocation: false,
  },
  {
    id: 'better-auth',
    implementation: 'better-auth',
    asSetup: 'better-auth oauth-provider, documented MCP setup (DPoP advertised)',
    rsSetup: 'Bearer only, JWT via its resource client',
    rs: {},
    expected: 'bearer',
    tokenTtlSeconds: TTL,
    stepUp: true,
    revocation: true,
  },
  // AS DPoP (advertised or not) x RS DPoP (off, accepted, required); off x advertised is above
  {
    id: 'oidc-nodpop-rs-off',
    ...oidc('oidc-provider, DPoP off', { dpop: false }),
    rsSetup: BEARER_RS,
    rs: { dpop: 'off' },
    expected: 'bearer',
  },
  {
    id: 'oidc-nodpop-rs-accepted',
    ...oidc('oidc-provider, DPoP off', { dpop: false }),
    rsSetup: 'DPoP accepted',
    rs: { dpop: 'accepted' },
    expected: 'bearer',
  },
  {
    id: 'oidc-nodpop-rs-required',
    ...oidc('oidc-provider, DPoP off', { dpop: false }),
    rsSetup: 'DPoP required',
    rs: { dpop: 'required' },
    expected: 'dpop-error',
  },
  {
    id: 'oidc-dpop-rs-accepted',
    ...oidc('oidc-provider, DPoP advertised (default)', {}),
    rsSetup: 'DPoP accepted',
    rs: { dpop: 'accepted' },
    expected: 'dpop',
  },
  {
    id: 'oidc-dpop-rs-required',
    ...oidc('oidc-provider, DPoP advertised (default)', {}),
    rsSetup: 'DPoP required',
    rs: { dpop: 'required' },
    expected: 'dpop',
  },
  // resource server variations
  {
    id: 'rs-root-metadata',
    ...oidc('oidc-provider, DPoP off', { dpop: false }),
    rsSetup: 'metadata at the root URL only, challenge without resource_metadata',
    rs: { metadataLocation: 'root', noResourceMetadataInChallenge: true },
    expected: 'bearer',
  },
  {
    id: 'rs-no-resource-metadata',
    ...oidc('oidc-provider, DPoP off', { dpop: false }),
    rsSetup: 'metadata at the path-aware URL, challenge without resource_metadata',
    rs: { noResourceMetadataInChallenge: true },
    expected: 'bearer',
  },
  {
    id: 'rs-challenge-scopes',
    ...oidc('oidc-provider, DPoP off', { dpop: false }),
    rsSetup: 'scopes in the challenge, none in the metadata',
    rs: { requiredScopes: ['mcp:read', 'mcp:write'], scopesSupported: null },
    expected: 'bearer',
  },
  // MCP servers that are not ours, each configured as its own documentation says, in front of
  // oidc-provider with its defaults (DPoP advertised: both servers must agree, these take Bearer)
  {
    id: 'rs-mcp-auth',
    ...oidc('oidc-provider 9, its defaults (DPoP advertised)', {}),
    rsSetup: "mcp-auth 0.2 (Logto), resource server mode, bearerAuth('jwt'): Bearer only",
    rs: {},
    rsImplementation: 'mcp-auth',
    adminTool: 'refused-in-tool',
    expected: 'bearer',
  },
  {
    id: 'rs-fastmcp',
    ...oidc('oidc-provider 9, its defaults (DPoP advertised)', {}),
    rsSetup:
      'fastmcp 4 (README setup): no scopes in metadata, 401 without a challenge, Bearer only',
    rs: {},
    rsImplementation: 'fastmcp',
    adminTool: 'hidden',
    // No scope is known (no challenge, no scopes_supported), so none is asked for, as the MCP
    // spec says; oidc-provider grants nothing and answers a bare access_denied ("no scope was
    // granted"). The error says that no scope was asked for and names the way out
    // (`login --scope`, the `scopes` option); the next cell takes it and passes.
    expected: 'scope-error',
  },
  {
    id: 'rs-fastmcp-scope',
    ...oidc('oidc-provider 9, its defaults (DPoP advertised)', {}),
    rsSetup:
      'fastmcp 4 (README setup) as above, the person gives the scopes (login --scope / scopes)',
    rs: {},
    rsImplementation: 'fastmcp',
    adminTool: 'hidden',
    loginScopes: ['mcp:read', 'mcp:write'],
    expected: 'bearer',
  },
  // authorization server variations
  {
    id: 'as-no-dcr',
    ...oidc('oidc-provider, no DCR, pre-registered confidential client', { registration: false }),
    rsSetup: BEARER_RS,
    rs: {},
    expected: 'bearer',
    preRegistered: true,
  },
  {
    id: 'as-forgets-clients',
    ...oidc('oidc-provider, forgets registered clients (restart)', {}),
    rsSetup: BEARER_RS,
    rs: {},
    expected: 'bearer',
    forgetClients: true,
  },
  {
    id: 'as-no-rotation',
    ...oidc('oidc-provider, refresh tokens not rotated', { refreshTokenRotation: false }),
    rsSetup: BEARER_RS,
    rs: {},
    expected: 'bearer',
  },
];
