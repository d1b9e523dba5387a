import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';

/**
 * Counters of an authorization server, updated from real HTTP traffic and oidc-provider events.
 *
 * @example
 * ```ts
 * import { type AuthServerStats, startAuthorizationServer } from '@mcp-oauth/testing';
 *
 * await using as = await startAuthorizationServer();
 * // ... the client under test logs in and refreshes ...
 * const stats: AuthServerStats = as.stats;
 * console.log(stats.registrations, stats.refreshSuccess, stats.requests.byPath);
 * ```
 */
export interface AuthServerStats {
  /**
   * Every HTTP request the server received (except the fixture's own `introspect()` calls),
   * by path with ids replaced (`/interaction/:uid`, `/auth/:uid`, `/device/:uid`, `/reg/:clientId`).
   */
  requests: {
    /** All requests. */
    total: number;
    /** Requests by path, e.g. `{ '/token': 3 }`. */
    byPath: Record<string, number>;
  };
  /** Token endpoint requests by `grant_type`, successful or not (device polling included). */
  tokenRequests: Record<string, number>;
  /** Token endpoint errors by OAuth `error` code (`invalid_grant`, `authorization_pending`, ...). */
  tokenErrors: Record<string, number>;
  /** Successful refresh_token grants. */
  refreshSuccess: number;
  /** Token endpoint answers with `invalid_grant`. */
  invalidGrant: number;
  /** Successful dynamic client registrations (RFC 7591). */
  registrations: number;
  /** Successful authorization responses (codes issued, device codes approved). */
  authorizations: number;
  /** Successful device authorization requests (RFC 8628). */
  deviceAuthorizations: number;
  /** Revocation requests answered 200 (RFC 7009). */
  revocations: number;
  /** Introspection requests answered 200 (RFC 7662), the fixture's own excluded. */
  introspections: number;
  /** Grants revoked (a reused rotated refresh token revokes its grant, or `revokeGrants()`). */
  grantsRevoked: number;
  /** Token endpoint requests that met an injected fault (`injectTokenFault`). */
  tokenFaults: number;
}

/** Marks the fixture's own requests (e.g. `introspect()`) so they are not counted. */
export const INTERNAL_HEADER = 'x-test-servers-internal';

function zero(): AuthServerStats {
  return {
    requests: { total: 0, byPath: {} },
    tokenRequests: {},
    tokenErrors: {},
    refreshSuccess: 0,
    invalidGrant: 0,
    registrations: 0,
    authorizations: 0,
    deviceAuthorizations: 0,
    revocations: 0,
    introspections: 0,
    grantsRevoked: 0,
    tokenFaults: 0,
  };
}

/** Per-request ids become placeholders: `/interaction/:uid`, `/auth/:uid`, `/device/:uid`, `/reg/:clientId`. */
function routeOf(path: string): string {
  return path
    .replace(/\/(interaction|auth)\/[^/]+$/, '/$1/:uid')
    .replace(/\/device\/(?!auth$)[^/]+$/, '/device/:uid')
    .replace(/\/reg\/[^/]+$/, '/reg/:clientId');
}

function bump(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

/** Creates the counters; `reset()` zeroes them in place so held references stay valid. */
export function createAuthStats(): {
  stats: AuthServerStats;
  reset(): void;
  attach(provider: Provider, paths: { revocation: string; introspection: string }): void;
  countRequest(req: IncomingMessage, res: ServerResponse): void;
} {
  const stats = zero();
  let paths = { revocation: '', introspection: '' };
  const isInternal = (req: IncomingMessage) => req.headers[INTERNAL_HEADER] === '1';
  return {
    stats,
    reset() {
      Object.assign(stats, zero());
    },
    attach(provider, routePaths) {
      paths = routePaths;
      const grantType = (ctx: { oidc?: { params?: Record<string, unknown> | undefined } }) =>
        String(ctx.oidc?.params?.grant_type ?? 'unknown');
      provider.on('grant.success', (ctx) => {
        const type = grantType(ctx);
        bump(stats.tokenRequests, type);
        if (type === 'refresh_token') stats.refreshSuccess += 1;
      });
      provider.on('grant.error', (ctx, error: { error?: string }) => {
        bump(stats.tokenRequests, grantType(ctx));
        const code = error.error ?? 'server_error';
        bump(stats.tokenErrors, code);
        if (code === 'invalid_grant') stats.invalidGrant += 1;
      });
      provider.on('registration_create.success', () => {
        stats.registrations += 1;
      });
      provider.on('authorization.success', () => {
        stats.authorizations += 1;
      });
      provider.on('device_authorization.success', () => {
        stats.deviceAuthorizations += 1;
      });
      provider.on('grant.revoked', () => {
        stats.grantsRevoked += 1;
      });
    },
    countRequest(req, res) {
      if (isInternal(req)) return;
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      stats.requests.total += 1;
      bump(stats.requests.byPath, routeOf(path));
      res.once('finish', () => {
        if (res.statusCode !== 200 || req.method !== 'POST') return;
        if (path === paths.revocation) stats.revocations += 1;
        if (path === paths.introspection) stats.introspections += 1;
      });
    },
  };
}
