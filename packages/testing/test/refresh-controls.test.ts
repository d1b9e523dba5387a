import { obtainTokens, startMcpOAuthServers } from '@mcp-oauth/testing';
import { describe, expect, it } from 'vitest';
import { refresh } from './helpers.ts';

describe('access token lifetime, rotation and reuse detection', () => {
  it('issues access tokens with the lifetime asked for, and update() changes it for the next one', async () => {
    await using servers = await startMcpOAuthServers({ accessTokenTtlSeconds: 7 });
    const tokens = await obtainTokens({ issuer: servers.issuer, resource: servers.mcpUrl });
    expect(tokens.expiresIn).toBe(7);
    servers.update({ accessTokenTtlSeconds: 11 });
    const refreshed = await refresh(servers.issuer, tokens.clientId, String(tokens.refreshToken));
    expect(refreshed.body.expires_in).toBe(11);
    expect(servers.counters.refreshes).toBe(1);
  });

  it('rotates refresh tokens by default; without rotation the same one keeps working', async () => {
    await using servers = await startMcpOAuthServers({ refreshTokenRotation: false });
    const tokens = await obtainTokens({ issuer: servers.issuer, resource: servers.mcpUrl });
    const first = await refresh(servers.issuer, tokens.clientId, String(tokens.refreshToken));
    const second = await refresh(servers.issuer, tokens.clientId, String(tokens.refreshToken));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body.refresh_token ?? tokens.refreshToken).toBe(tokens.refreshToken);

    servers.update({ refreshTokenRotation: true });
    const rotated = await refresh(servers.issuer, tokens.clientId, String(tokens.refreshToken));
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(tokens.refreshToken);
    const reused = await refresh(servers.issuer, tokens.clientId, String(tokens.refreshToken));
    expect(reused.body.error).toBe('invalid_grant');
  });

  it('with reuse detection (the default), reusing a rotated refresh token revokes the grant', async () => {
    await using servers = await startMcpOAuthServers();
    const tokens = await obtainTokens({ issuer: servers.issuer, resource: servers.mcpUrl });
    const rotated = await refresh(servers.issuer, tokens.clientId, String(tokens.refreshToken));
    const newest = String(rotated.body.refresh_token);
    const reused = await refresh(servers.issuer, tokens.clientId, String(tokens.refreshToken));
    expect(reused.body.error).toBe('invalid_grant');
    const afterReuse = await refresh(servers.issuer, tokens.clientId, newest);
    expect(afterReuse.body.error).toBe('invalid_grant');
    expect(servers.counters).toMatchObject({ refreshes: 1, invalidGrant: 2, grantsRevoked: 1 });
  });

  it('without reuse detection, the rotated token is refused and the newest one still works', async () => {
    await using servers = await startMcpOAuthServers({ reuseDetection: false });
    const tokens = await obtainTokens({ issuer: servers.issuer, resource: servers.mcpUrl });
    const rotated = await refresh(servers.issuer, tokens.clientId, String(tokens.refreshToken));
    const reused = await refresh(servers.issuer, tokens.clientId, String(tokens.refreshToken));
    expect(reused.body.error).toBe('invalid_grant');
    const newest = await refresh(
      servers.issuer,
      tokens.clientId,
      String(rotated.body.refresh_token),
    );
    expect(newest.status).toBe(200);
    expect(servers.counters).toMatchObject({ refreshes: 2, invalidGrant: 1, grantsRevoked: 0 });
  });
});
