import { obtainTokens, startMcpOAuthServers } from '@mcp-oauth/testing';
import { describe, expect, it } from 'vitest';
import { refresh } from './helpers.ts';

describe('revokeGrants', () => {
  it('a revoked grant makes the next refresh fail with invalid_grant', async () => {
    await using servers = await startMcpOAuthServers();
    const tokens = await obtainTokens({ issuer: servers.issuer, resource: servers.mcpUrl });
    const revoked = await servers.revokeGrants();
    expect(revoked).toHaveLength(1);
    const after = await refresh(servers.issuer, tokens.clientId, String(tokens.refreshToken));
    expect(after.status).toBe(400);
    expect(after.body.error).toBe('invalid_grant');
    expect(servers.counters).toMatchObject({ invalidGrant: 1, grantsRevoked: 1, refreshes: 0 });
  });

  it('revokes only the grants of the client or account named', async () => {
    await using servers = await startMcpOAuthServers();
    const alice = await obtainTokens({ issuer: servers.issuer, resource: servers.mcpUrl });
    const bob = await obtainTokens({ issuer: servers.issuer, resource: servers.mcpUrl });
    expect(await servers.revokeGrants({ accountId: 'nobody' })).toEqual([]);
    expect(await servers.revokeGrants({ clientId: alice.clientId })).toHaveLength(1);
    const aliceAfter = await refresh(servers.issuer, alice.clientId, String(alice.refreshToken));
    const bobAfter = await refresh(servers.issuer, bob.clientId, String(bob.refreshToken));
    expect(aliceAfter.body.error).toBe('invalid_grant');
    expect(bobAfter.status).toBe(200);
  });
});
