import { describe, expect, it } from 'vitest';
import { errorText, expectError, openStore, sleep, uniqueNs } from './helpers.ts';
import { vaultCall } from './target.ts';
import { track, useVaultServer, vault } from './vault-fixture.ts';

// src/session.ts: the Vault token: renewal, re-login, login methods
useVaultServer();

describe('Vault token lifetime', () => {
  it('renews a short-lived token before its lease ends', async () => {
    const token = vault.createToken('kv-admin', 2);
    const store = track(openStore(vault.url, { auth: { token }, namespace: uniqueNs('renew') }));
    const renewalsBefore = vault.stats.renewals;
    const rejectedBefore = vault.stats.byStatus[403] ?? 0;
    for (let i = 0; i < 4; i++) {
      await store.set('k', { v: 1, i });
      await sleep(900);
    }
    expect(await store.get('k')).toEqual({ v: 1, i: 3 });
    expect(vault.stats.renewals).toBeGreaterThan(renewalsBefore);
    expect(vault.stats.byStatus[403] ?? 0).toBe(rejectedBefore);
    const look = await vaultCall(vault.url, token, 'GET', 'auth/token/lookup-self');
    expect(look.status).toBe(200);
  });

  it('logs in again with AppRole when the token cannot be renewed', async () => {
    vault.configureAppRole({ tokenTtl: 2, renewable: false });
    try {
      const store = track(
        openStore(vault.url, { auth: { approle: vault.approle }, namespace: uniqueNs('approle') }),
      );
      const loginsBefore = vault.stats.logins.approle;
      const rejectedBefore = vault.stats.byStatus[403] ?? 0;
      for (let i = 0; i < 4; i++) {
        await store.set('k', { v: 1, i });
        await sleep(900);
      }
      expect(await store.get('k')).toEqual({ v: 1, i: 3 });
      expect(vault.stats.logins.approle - loginsBefore).toBeGreaterThanOrEqual(2);
      // proactive: the new login came before the old token expired, never after a 403
      expect(vault.stats.byStatus[403] ?? 0).toBe(rejectedBefore);
    } finally {
      vault.configureAppRole({ tokenTtl: 3600, renewable: true });
    }
  });

  it('logs in again with AppRole once renewals hit the max TTL', async () => {
    vault.configureAppRole({ tokenTtl: 2, tokenMaxTtl: 3, renewable: true });
    try {
      const store = track(
        openStore(vault.url, { auth: { approle: vault.approle }, namespace: uniqueNs('maxttl') }),
      );
      const loginsBefore = vault.stats.logins.approle;
      const rejectedBefore = vault.stats.byStatus[403] ?? 0;
      const renewalsBefore = vault.stats.renewals;
      for (let i = 0; i < 5; i++) {
        await store.set('k', { v: 1, i });
        await sleep(900);
      }
      expect(await store.get('k')).toEqual({ v: 1, i: 4 });
      expect(vault.stats.renewals).toBeGreaterThan(renewalsBefore);
      expect(vault.stats.logins.approle - loginsBefore).toBeGreaterThanOrEqual(2);
      // proactive: the new login came before the old token expired, never after a 403
      expect(vault.stats.byStatus[403] ?? 0).toBe(rejectedBefore);
    } finally {
      vault.configureAppRole({ tokenTtl: 3600, tokenMaxTtl: 0, renewable: true });
    }
  });

  it('reports store_auth_failed for an expired token it cannot replace', async () => {
    const token = vault.createToken('kv-admin', 1, { renewable: false });
    const store = track(openStore(vault.url, { auth: { token }, namespace: uniqueNs('expired') }));
    await store.set('k', { v: 1 });
    await sleep(1_100);
    const error = await expectError(store.get('k'), 'store_auth_failed');
    expect(errorText(error)).not.toContain(token);
  });
});

describe('login methods', () => {
  it('works with Kubernetes login', async () => {
    const store = track(
      openStore(vault.url, { auth: { kubernetes: vault.kubernetes }, namespace: uniqueNs('k8s') }),
    );
    await store.set('k', { v: 1 });
    expect(await store.get('k')).toEqual({ v: 1 });
  });

  it('reports store_auth_failed for a wrong secret id, without the secret', async () => {
    const secretId = 'definitely-wrong-secret-id';
    const store = track(
      openStore(vault.url, {
        auth: { approle: { roleId: vault.approle.roleId, secretId } },
        namespace: 'x',
      }),
    );
    const error = await expectError(store.get('k'), 'store_auth_failed');
    expect(error.message).toContain('invalid role or secret ID');
    expect(errorText(error)).not.toContain(secretId);
  });
});
