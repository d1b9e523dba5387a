import type Provider from 'oidc-provider';

/**
 * Which grants `revokeGrants` revokes (every grant when empty).
 *
 * @example
 * ```ts
 * import { type GrantFilter, startMcpOAuthServers } from '@mcp-oauth/testing';
 *
 * await using servers = await startMcpOAuthServers();
 * const filter: GrantFilter = { accountId: 'user-1' };
 * const revoked = await servers.revokeGrants(filter); // the next refresh gets invalid_grant
 * ```
 */
export interface GrantFilter {
  /** Only grants of this client. */
  clientId?: string | undefined;
  /** Only grants of this account (`sub`). */
  accountId?: string | undefined;
}

interface GrantRecord {
  clientId: string;
  accountId: string;
}

/**
 * Keeps track of every grant the provider saves and revokes them on demand, as an admin (or a
 * user on a "connected apps" page) would: every token of the grant dies (access, refresh,
 * authorization and device codes) and the grant itself is destroyed, so the next refresh gets
 * `invalid_grant`. JWT access tokens stay valid at resource servers until they expire, as with
 * any real server issuing self-contained tokens.
 */
export function trackGrants(provider: Provider): {
  revoke(filter?: GrantFilter): Promise<string[]>;
} {
  const grants = new Map<string, GrantRecord>();
  provider.addListener('grant.saved', (grant) => {
    grants.set(grant.jti, { clientId: String(grant.clientId), accountId: String(grant.accountId) });
  });
  provider.addListener('grant.destroyed', (grant) => {
    grants.delete(grant.jti);
  });
  return {
    async revoke(filter = {}) {
      const revoked: string[] = [];
      for (const [grantId, grant] of [...grants]) {
        if (filter.clientId !== undefined && grant.clientId !== filter.clientId) continue;
        if (filter.accountId !== undefined && grant.accountId !== filter.accountId) continue;
        await Promise.all([
          provider.AccessToken.revokeByGrantId(grantId),
          provider.RefreshToken.revokeByGrantId(grantId),
          provider.AuthorizationCode.revokeByGrantId(grantId),
          provider.DeviceCode.revokeByGrantId(grantId),
          provider.Grant.adapter.destroy(grantId),
        ]);
        grants.delete(grantId);
        revoked.push(grantId);
        provider.emit('grant.revoked', undefined, grantId); // counted in stats.grantsRevoked
      }
      return revoked;
    },
  };
}
