import type { TokenStore } from '@mcp-oauth/core';
import { startVaultServer, type VaultServer } from '@mcp-oauth/test-vault-server';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openStore } from './helpers.ts';

/** The Vault API server of the test file that called `useVaultServer()`. */
export let vault: VaultServer;
let open: TokenStore[] = [];

/** Closes `store` after the test. */
export const track = (store: TokenStore) => {
  open.push(store);
  return store;
};

/** A store authenticated with the root token, closed after the test. */
export const rootStore = (namespace: string) =>
  track(openStore(vault.url, { auth: { token: vault.rootToken }, namespace }));

/**
 * One Vault API server per test file (with a read-only policy), unsealed and its stores closed
 * after each test: the fault tests of every source file share this setup.
 */
export function useVaultServer(): void {
  beforeAll(async () => {
    vault = await startVaultServer({
      policies: {
        'read-only': {
          'secret/data/mcp-oauth/*': ['read'],
          'secret/metadata/mcp-oauth/*': ['list'],
        },
      },
    });
  });
  afterEach(async () => {
    vault.unseal();
    await Promise.all(open.map((s) => s.close?.()));
    open = [];
  });
  afterAll(() => vault.close());
}
