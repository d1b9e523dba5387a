import { diagnosticsChannel } from './diagnostics-channel.ts';

/**
 * The message on the diagnostics channel `mcp-oauth:lock`, published once per lock
 * acquisition by the store packages: how long the caller waited, and whether it got the lock.
 *
 * @example
 * ```ts
 * import diagnostics_channel from 'node:diagnostics_channel';
 * import type { StoreLockMessage } from '@mcp-oauth/core';
 *
 * diagnostics_channel.subscribe('mcp-oauth:lock', (message) => {
 *   const lock = message as StoreLockMessage;
 *   if (lock.outcome !== 'acquired') console.warn(`${lock.store} lock ${lock.outcome} after ${lock.waitedMs} ms`);
 * });
 * ```
 */
export interface StoreLockMessage {
  /** The store's kind: `file`, `redis`, `keychain`, `vault`. */
  store: string;
  /** The store key locked (`tokens:<issuer> <resource>`): URLs, never a secret. */
  key: string;
  /** `acquired`, `timeout` (`store_lock_timeout`), or `error` (any other failure). */
  outcome: 'acquired' | 'timeout' | 'error';
  /** From the call to the lock to its acquisition (or failure), in milliseconds. */
  waitedMs: number;
  /** The error's code when the outcome is not `acquired` (`store_lock_timeout`, ...). */
  code?: string;
}

/**
 * Acquires a store lock with `acquire`, publishing the wait and its outcome on
 * `mcp-oauth:lock` when someone subscribes (else it only calls `acquire`). For store packages.
 *
 * @example
 * ```ts
 * import { type LockOptions, observeLock, type StoreLock } from '@mcp-oauth/core/store';
 *
 * declare function acquireFileLock(key: string, options?: LockOptions): Promise<StoreLock>;
 * const lock = (key: string, options?: LockOptions): Promise<StoreLock> =>
 *   observeLock('file', key, () => acquireFileLock(key, options));
 * ```
 */
export function observeLock<L>(store: string, key: string, acquire: () => Promise<L>): Promise<L> {
  const channel = diagnosticsChannel()?.channel('mcp-oauth:lock');
  if (!channel?.hasSubscribers) return acquire();
  const started = performance.now();
  return import('./publish-lock.ts').then((m) =>
    m.publishLock(channel, { store, key, started }, acquire),
  );
}
