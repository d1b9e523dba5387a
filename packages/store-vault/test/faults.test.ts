import type { TokenStore } from '@mcp-oauth/core';
import { startVaultServer, type VaultServer } from '@mcp-oauth/test-vault-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { b64, errorText, expectError, openStore, sleep, uniqueNs } from './helpers.ts';
import { vaultCall } from './target.ts';

let vault: VaultServer;
let open: TokenStore[] = [];
const track = (store: TokenStore) => {
  open.push(store);
  return store;
};
const rootStore = (namespace: string) =>
  track(openStore(vault.url, { auth: { token: vault.rootToken }, namespace }));

beforeAll(async () => {
  vault = await startVaultServer({
    policies: {
      'read-only': { 'secret/data/mcp-oauth/*': ['read'], 'secret/metadata/mcp-oauth/*': ['list'] },
    },
  });
});
afterEach(async () => {
  vault.unseal();
  await Promise.all(open.map((s) => s.close?.()));
  open = [];
});
afterAll(() => vault.close());

describe('Vault sealed mid-run', () => {
  it('fails with store_unavailable saying Vault is sealed, then works again once unsealed', async () => {
    const store = rootStore(uniqueNs('seal'));
    await store.set('k', { v: 1, n: 1 });
    vault.seal();
    const error = await expectError(store.set('k', { v: 1, n: 2 }), 'store_unavailable');
    expect(error.message).toContain('sealed');
    expect(error.details.reason).toBe('sealed');
    expect(error.status).toBe(503);
    await expectError(store.get('k'), 'store_unavailable');
    vault.unseal();
    expect(await store.get('k')).toEqual({ v: 1, n: 1 });
    await store.set('k', { v: 1, n: 3 });
    expect(await store.get('k')).toEqual({ v: 1, n: 3 });
  });
});

describe('permission denied', () => {
  it('names the path and the capability when the policy lacks update, and keeps the record', async () => {
    const ns = uniqueNs('deny');
    await rootStore(ns).set('k', { v: 1, who: 'root' });
    const token = vault.createToken('read-only');
    const reader = track(openStore(vault.url, { auth: { token }, namespace: ns }));
    expect(await reader.get('k')).toEqual({ v: 1, who: 'root' });
    expect(await reader.list()).toEqual(['k']);
    const error = await expectError(
      reader.set('k', { v: 1, who: 'reader' }),
      'store_permission_denied',
    );
    expect(error.message).toContain(`secret/data/mcp-oauth/${ns}/${b64('k')}`);
    expect(error.message).toContain('"update"');
    expect(error.details.capability).toBe('update');
    const created = await expectError(reader.set('new', { v: 1 }), 'store_permission_denied');
    expect(created.details.capability).toBe('create');
    expect(errorText(error)).not.toContain(token);
    expect(await reader.get('k')).toEqual({ v: 1, who: 'root' });
  });
});

describe('check-and-set conflict storm', () => {
  it('10 replicas writing one key: no error, every write is one version, the last one stays', async () => {
    const ns = uniqueNs('storm');
    const replicas = Array.from({ length: 10 }, () => rootStore(ns));
    const conflictsBefore = vault.stats.casConflicts;
    await Promise.all(replicas.map((store, writer) => store.set('hot', { v: 1, writer })));
    expect(vault.stats.casConflicts).toBeGreaterThan(conflictsBefore);

    const path = `secret/data/mcp-oauth/${ns}/${b64('hot')}`;
    const meta = await vaultCall(
      vault.url,
      vault.rootToken,
      'GET',
      path.replace('/data/', '/metadata/'),
    );
    expect(meta.body.data.current_version).toBe(10);
    const writers: number[] = [];
    for (let version = 1; version <= 10; version++) {
      const v = await vaultCall(vault.url, vault.rootToken, 'GET', `${path}?version=${version}`);
      writers.push(JSON.parse(v.body.data.data.record).writer);
    }
    expect([...writers].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await replicas[0]?.get('hot')).toEqual({ v: 1, writer: writers[9] });
  });
});

describe('lease held by a crashed replica', () => {
  it('is taken over after it expires, not before', async () => {
    const ns = uniqueNs('crash');
    const lockPath = `secret/data/mcp-oauth/${ns}/_locks/${b64('tokens/a')}`;
    const expiresAt = Date.now() + 1_200;
    const crashed = await vaultCall(vault.url, vault.rootToken, 'POST', lockPath, {
      data: { owner: 'crashed-replica', expiresAt },
      options: { cas: 0 },
    });
    expect(crashed.status).toBe(200);

    const store = rootStore(ns);
    await expectError(store.lock('tokens/a', { timeoutMs: 300 }), 'store_lock_timeout');
    const lock = await store.lock('tokens/a', { ttlMs: 10_000, timeoutMs: 5_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    const taken = await vaultCall(vault.url, vault.rootToken, 'GET', lockPath);
    expect(taken.body.data.metadata.version).toBe(2);
    expect(taken.body.data.data.owner).not.toBe('crashed-replica');
    await lock.release();
    expect((await vaultCall(vault.url, vault.rootToken, 'GET', lockPath)).status).toBe(404);
    const again = await store.lock('tokens/a', { timeoutMs: 500 });
    await again.release();
  });
});

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

describe('network failure', () => {
  it('reports store_unavailable after retrying', async () => {
    const down = await startVaultServer();
    const { url, rootToken } = down;
    await down.close();
    const store = track(openStore(url, { auth: { token: rootToken }, namespace: 'n' }));
    const error = await expectError(store.get('k'), 'store_unavailable');
    expect(error.details.reason).toBe('network');
    expect(errorText(error)).not.toContain(rootToken);
  });
});
