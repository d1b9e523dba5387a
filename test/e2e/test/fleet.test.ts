import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOAuthClient, type TokenStore } from '@mcp-oauth/core';
import { headlessInteraction } from '@mcp-oauth/core/flow';
import { fileStore } from '@mcp-oauth/store-file';
import { keychainStore } from '@mcp-oauth/store-keychain';
import { vaultStore } from '@mcp-oauth/store-vault';
import { startVaultServer, type VaultServer } from '@mcp-oauth/test-vault-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxRefreshes, runFleet } from '../src/fleet.ts';
import { type Stack, startStack } from '../src/harness.ts';

const TTL_SECONDS = 2;
const DURATION_MS = 7_000;

/**
 * Many processes share one store and one authorization server with refresh-token
 * rotation and 2-second access tokens. Rotation makes any second refresh of the same
 * generation an invalid_grant, so zero invalid_grant means one refresh per expiry.
 */
describe.each([
  { store: 'file' as const, processes: 8 },
  { store: 'vault' as const, processes: 6 },
  { store: 'keychain' as const, processes: 4, skip: !process.env.MCP_OAUTH_PRIVATE_KEYRING },
])(
  'a fleet of $processes processes sharing the $store store',
  ({ store: kind, processes, skip }) => {
    let stack: Stack;
    let vault: VaultServer | undefined;
    let config: Record<string, unknown>;
    let store: TokenStore;
    beforeAll(async () => {
      if (skip) return;
      stack = await startStack({
        as: { accessTokenTtlSeconds: TTL_SECONDS, refreshTokenRotation: true },
      });
      if (kind === 'file') {
        config = { directory: mkdtempSync(join(tmpdir(), 'fleet-')) };
        store = fileStore(config);
      } else if (kind === 'vault') {
        vault = await startVaultServer();
        config = {
          address: vault.url,
          auth: { token: vault.rootToken },
          namespace: `fleet-${Date.now()}`,
        };
        store = vaultStore(config as never);
      } else {
        config = { namespace: `fleet-${Date.now()}` };
        store = keychainStore(config);
      }
      const login = createOAuthClient({
        serverUrl: stack.mcp.url,
        store,
        interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
      });
      await login.authorize();
    }, 60_000);
    afterAll(async () => {
      await store?.close?.();
      await vault?.close();
      await stack?.close();
    });

    it.skipIf(skip)(
      'makes exactly one refresh per expiry, with zero invalid_grant and zero forced re-authorizations',
      async () => {
        const authorizations = stack.as.stats.authorizations;
        const refreshes = stack.as.stats.refreshSuccess;
        const started = performance.now();
        const results = await runFleet(processes, {
          serverUrl: stack.mcp.url,
          store: kind,
          config,
          durationMs: DURATION_MS,
        });
        // measured, not planned: on a loaded machine the workers start late and run long
        const measuredMs = performance.now() - started;
        for (const r of results) {
          expect(r.errors).toEqual([]);
          expect(r.ok).toBeGreaterThan(5);
          expect(r.events.authorized).toBe(0);
        }
        const made = stack.as.stats.refreshSuccess - refreshes;
        expect(stack.as.stats.invalidGrant).toBe(0);
        expect(stack.as.stats.authorizations).toBe(authorizations);
        // one refresh per token generation: proactive at half-life (1 s), over the measured run
        expect(made).toBeGreaterThanOrEqual(3);
        expect(made).toBeLessThanOrEqual(maxRefreshes(measuredMs, TTL_SECONDS));
        // every refresh at the server was made by exactly one process
        expect(results.reduce((n, r) => n + r.events.refreshed, 0)).toBe(made);
        // nothing torn: every record in the store still reads back
        for (const key of await store.list()) expect(await store.get(key)).toBeDefined();
      },
      90_000,
    );
  },
);
