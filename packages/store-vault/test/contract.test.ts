import { describeStoreContract } from '@mcp-oauth/test-store-contract';
import { vaultStore } from '../src/index.ts';
import { openTarget, purge } from './target.ts';

// A real Vault when VAULT_ADDR and VAULT_TOKEN are set, else the test server.
const target = await openTarget();
const pathPrefix = `mcp-oauth-contract-${Date.now().toString(36)}`;

describeStoreContract(`vault (${target.label})`, {
  create: (namespace) =>
    vaultStore({
      address: target.address,
      auth: { token: target.token },
      mount: target.mount,
      pathPrefix,
      namespace,
    }),
  async cleanup() {
    if (target.real) await purge(target, pathPrefix);
    await target.close();
  },
  capabilities: target.real ? { shortLockTtlMs: 1_000, timingSlackMs: 2_000, concurrency: 20 } : {},
});
