import type { TokenStore } from '@mcp-oauth/core';
import { afterAll, afterEach, describe } from 'vitest';
import { registerConcurrencyTests } from './concurrency.ts';
import {
  type ContractContext,
  DEFAULT_CAPABILITIES,
  type StoreContractHarness,
} from './harness.ts';
import { registerLifecycleTests } from './lifecycle.ts';
import { registerLockTests } from './locks.ts';
import { registerNamespaceTests } from './namespaces.ts';
import { registerRecordTests } from './records.ts';

let suiteCounter = 0;

/**
 * Registers the TokenStore contract as vitest `describe`/`it` blocks named
 * `store contract: <name>`. Call it at the top level of a test file.
 */
export function describeStoreContract(name: string, harness: StoreContractHarness): void {
  const caps = { ...DEFAULT_CAPABILITIES, ...harness.capabilities };
  const suiteId = `${(++suiteCounter).toString(36)}${Date.now().toString(36).slice(-4)}`;
  let testCounter = 0;
  let opened: TokenStore[] = [];

  const ctx: ContractContext = {
    caps,
    ns(suffix) {
      return `c${suiteId}-${testCounter}${suffix ? `-${suffix}` : ''}`;
    },
    async open(namespace) {
      const store = await harness.create(namespace);
      opened.push(store);
      return store;
    },
  };

  describe(`store contract: ${name}`, () => {
    // A fresh namespace per test: tests never see each other's records or locks.
    afterEach(async () => {
      testCounter++;
      const stores = opened;
      opened = [];
      await Promise.all(stores.map((store) => store.close?.()));
    });
    afterAll(async () => {
      await harness.cleanup?.();
    });

    registerRecordTests(ctx);
    registerNamespaceTests(ctx);
    registerConcurrencyTests(ctx);
    registerLockTests(ctx);
    if (caps.lifecycle) registerLifecycleTests(ctx);
  });
}
