import { startVaultServer, type VaultServer } from '@mcp-oauth/test-vault-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vaultStore } from '../src/index.ts';
import { b64, expectError, uniqueNs } from './helpers.ts';
import { vaultCall } from './target.ts';

let vault: VaultServer;
beforeAll(async () => {
  vault = await startVaultServer({ mount: 'kv' });
});
afterAll(() => vault.close());

const store = (extra: Parameters<typeof vaultStore>[0] = {}) =>
  vaultStore({ address: vault.url, auth: { token: vault.rootToken }, mount: 'kv', ...extra });

describe('layout and options', () => {
  it('stores each key as one base64url segment under mount/pathPrefix/namespace', async () => {
    const ns = uniqueNs('layout');
    const s = store({ namespace: ns, pathPrefix: 'apps/mcp' });
    await s.set('../a/b', { v: 1 });
    const raw = await vaultCall(
      vault.url,
      vault.rootToken,
      'GET',
      `kv/data/apps/mcp/${ns}/${b64('../a/b')}`,
    );
    expect(JSON.parse(raw.body.data.data.record)).toEqual({ v: 1 });
    expect(s.description).toBe(`vault (${vault.url}, kv/apps/mcp/${ns})`);
  });

  it('removes every version on delete, or only soft-deletes with keepHistory', async () => {
    const ns = uniqueNs('history');
    const purge = store({ namespace: ns });
    const keep = store({ namespace: ns, keepHistory: true });
    await purge.set('a', { v: 1 });
    await purge.set('a', { v: 2 });
    expect(await purge.delete('a')).toBe(true);
    expect(
      (
        await vaultCall(
          vault.url,
          vault.rootToken,
          'GET',
          `kv/metadata/mcp-oauth/${ns}/${b64('a')}`,
        )
      ).status,
    ).toBe(404);

    await keep.set('b', { v: 1 });
    expect(await keep.delete('b')).toBe(true);
    expect(await keep.delete('b')).toBe(false);
    expect(await keep.get('b')).toBeUndefined();
    expect(await keep.list()).toEqual([]);
    const meta = await vaultCall(
      vault.url,
      vault.rootToken,
      'GET',
      `kv/metadata/mcp-oauth/${ns}/${b64('b')}`,
    );
    expect(meta.body.data.current_version).toBe(1);
    await keep.set('b', { v: 3 });
    expect(await keep.get('b')).toEqual({ v: 3 });
  });

  it('keeps Vault namespaces apart', async () => {
    const ns = uniqueNs('vns');
    await store({ namespace: ns, vaultNamespace: 'team-a' }).set('k', { v: 1 });
    expect(await store({ namespace: ns, vaultNamespace: 'team-b' }).get('k')).toBeUndefined();
    expect(await store({ namespace: ns, vaultNamespace: 'team-a' }).get('k')).toEqual({ v: 1 });
  });

  it('reports a secret that is not one of its records as store_corrupt', async () => {
    const ns = uniqueNs('corrupt');
    await vaultCall(vault.url, vault.rootToken, 'POST', `kv/data/mcp-oauth/${ns}/${b64('k')}`, {
      data: { other: 1 },
    });
    await expectError(store({ namespace: ns }).get('k'), 'store_corrupt');
  });

  it('refuses unsafe namespaces and missing credentials', () => {
    expect(() => store({ namespace: '../x' })).toThrow(/namespace/);
    const saved = process.env.VAULT_TOKEN;
    delete process.env.VAULT_TOKEN;
    try {
      expect(() => vaultStore({ address: vault.url })).toThrow(/VAULT_TOKEN/);
    } finally {
      if (saved !== undefined) process.env.VAULT_TOKEN = saved;
    }
  });
});
