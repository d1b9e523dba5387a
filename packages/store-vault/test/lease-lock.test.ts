import { describe, expect, it } from 'vitest';
import { b64, expectError, uniqueNs } from './helpers.ts';
import { vaultCall } from './target.ts';
import { rootStore, useVaultServer, vault } from './vault-fixture.ts';

// src/lease-lock.ts: the lease lock when its holder crashed
useVaultServer();

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
