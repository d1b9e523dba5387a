import { McpOAuthError } from '@mcp-oauth/core';
import { startVaultServer, type VaultServer } from '@mcp-oauth/test-vault-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vaultStore } from '../src/index.ts';
import { expectError, uniqueNs } from './helpers.ts';

let vault: VaultServer;
beforeAll(async () => {
  vault = await startVaultServer();
});
afterAll(() => vault.close());

/** How many requests one `get` makes to a sealed Vault (503, retryable) with `attempts`. */
async function requestsWhileSealed(attempts: number): Promise<number> {
  const store = vaultStore({
    address: vault.url,
    auth: { token: vault.rootToken },
    namespace: uniqueNs('retry'),
    retry: { attempts, minDelayMs: 1, maxDelayMs: 5 },
  });
  try {
    await store.get('k'); // the session's first request is behind us
    vault.seal();
    const before = vault.stats.requests;
    await expectError(store.get('k'), 'store_unavailable');
    return vault.stats.requests - before;
  } finally {
    vault.unseal();
    await store.close();
  }
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('retry of Vault requests', () => {
  it('attempts counts every request: 3 means 3 requests at Vault, 1 means no retry', async () => {
    expect(await requestsWhileSealed(3)).toBe(3);
    expect(await requestsWhileSealed(1)).toBe(1);
  });

  it('refuses attempts below 1 and a maxDelayMs below minDelayMs, naming the option', () => {
    for (const [retry, option] of [
      [{ attempts: 0 }, 'retry.attempts'],
      [{ attempts: 2.5 }, 'retry.attempts'],
      [{ minDelayMs: 200, maxDelayMs: 100 }, 'retry.maxDelayMs'],
    ] as const) {
      const error = thrown(() => vaultStore({ address: vault.url, auth: { token: 't' }, retry }));
      expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
      expect((error as McpOAuthError).details.option).toBe(option);
    }
  });
});
