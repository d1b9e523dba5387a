import { describe, expect, it } from 'vitest';
import { b64, expectError, uniqueNs } from './helpers.ts';
import { vaultCall } from './target.ts';
import { rootStore, useVaultServer, vault } from './vault-fixture.ts';

// src/kv.ts: reads and check-and-set writes, when Vault is sealed or writers collide
useVaultServer();

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
