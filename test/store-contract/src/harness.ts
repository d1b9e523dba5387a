import type { TokenStore } from '@mcp-oauth/core';

/** What a store backend can promise; every field has a default that fits local stores. */
export interface StoreContractCapabilities {
  /**
   * Lock lifetime (ms) the expiry tests use. Raise it for backends whose clocks or
   * leases are coarse. Default 300.
   */
  shortLockTtlMs?: number;
  /** Run the lock-expiry tests. Default true. */
  lockExpiry?: boolean;
  /** Parallel operations in the concurrent-writer tests. Default 50. */
  concurrency?: number;
  /**
   * Slack (ms) added to every timing expectation (waits, timeouts), for backends that
   * poll. Default 1000.
   */
  timingSlackMs?: number;
  /**
   * The store has `prune()` and `[Symbol.asyncDispose]()`, as every published store does:
   * run their tests. Default true; core's `memoryStore()` has neither.
   */
  lifecycle?: boolean;
  /**
   * The store publishes its lock acquisitions on the diagnostics channel `mcp-oauth:lock`
   * (`observeLock` from `@mcp-oauth/core/store`), as every published store does. Default true;
   * core's `memoryStore()` does not, to keep the public entry small.
   */
  lockChannel?: boolean;
}

/**
 * How the suite obtains stores. `create(namespace)` is called many times: two calls
 * with the same namespace must return stores sharing one backend (as two processes
 * would), and different namespaces must be isolated. Namespaces the suite passes
 * match `/^[a-z0-9-]{1,40}$/` and are unique per test, so no cleanup is needed between
 * tests. The suite calls `close()` on every store it created after each test, and
 * `cleanup()` once after all tests.
 */
export interface StoreContractHarness {
  create(namespace: string): Promise<TokenStore> | TokenStore;
  cleanup?(): Promise<void>;
  capabilities?: StoreContractCapabilities;
}

/** What each group of tests receives. */
export interface ContractContext {
  /** Opens a store bound to `namespace` (tracked and closed after the test). */
  open(namespace: string): Promise<TokenStore>;
  /** A namespace name unique to the current test; `suffix` tells several apart. */
  ns(suffix?: string): string;
  readonly caps: Required<StoreContractCapabilities>;
}

export const DEFAULT_CAPABILITIES: Required<StoreContractCapabilities> = {
  shortLockTtlMs: 300,
  lockExpiry: true,
  concurrency: 50,
  timingSlackMs: 1_000,
  lifecycle: true,
  lockChannel: true,
};
