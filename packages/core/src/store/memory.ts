import { McpOAuthError } from '../errors/error.ts';
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_LOCK_TTL_MS,
  type LockOptions,
  type StoreLock,
  type StoreRecord,
  type TokenStore,
} from './types.ts';
import { assertValidKey } from './validate-key.ts';

interface HeldLock {
  owner: symbol;
  expiresAt: number;
}

/**
 * Backing data that several memory stores (one per namespace) may share. Opaque: make one with
 * {@link createMemoryBacking} and pass it as `backing`.
 *
 * @example
 * ```ts
 * import { createMemoryBacking, type MemoryBacking, memoryStore } from '@mcp-oauth/core/store';
 *
 * const backing: MemoryBacking = createMemoryBacking();
 * const work = memoryStore({ backing, namespace: 'work' });
 * const home = memoryStore({ backing, namespace: 'home' });
 * ```
 */
export interface MemoryBacking {
  /** @internal Records as JSON text, by namespaced key. */
  readonly records: Map<string, string>;
  /** @internal Held locks, by namespaced key. */
  readonly locks: Map<string, HeldLock>;
  /** @internal Lock waiters, woken when a lock is released. */
  readonly waiters: Set<() => void>;
}

/**
 * Options of {@link memoryStore}.
 *
 * @example
 * ```ts
 * import { memoryStore, type MemoryStoreOptions } from '@mcp-oauth/core';
 *
 * const options: MemoryStoreOptions = { namespace: 'tests' };
 * const store = memoryStore(options);
 * ```
 */
export interface MemoryStoreOptions {
  /** Keeps this store's keys apart from other namespaces on the same backing. Default `default`. */
  namespace?: string;
  /** Share one backing between stores to model one backend with several namespaces. */
  backing?: MemoryBacking;
  /** Clock for lock expiry; defaults to Date.now. */
  now?: () => number;
}

/**
 * A new, empty backing for {@link memoryStore}: share it between stores to model one backend
 * with several namespaces (or several processes, in tests).
 *
 * @example
 * ```ts
 * import { createMemoryBacking, memoryStore } from '@mcp-oauth/core/store';
 *
 * const backing = createMemoryBacking();
 * const processA = memoryStore({ backing });
 * const processB = memoryStore({ backing }); // sees A's records and locks
 * ```
 */
export function createMemoryBacking(): MemoryBacking {
  return { records: new Map(), locks: new Map(), waiters: new Set() };
}

/**
 * An in-process store: records live in a Map (as JSON text, so callers never share
 * objects with it) and the lock is an expiring mutex. Good for tests, short-lived
 * processes and servers that keep sessions elsewhere.
 *
 * @example
 * ```ts
 * import { createOAuthClient, memoryStore } from '@mcp-oauth/core';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', store: memoryStore() });
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): TokenStore {
  const backing = options.backing ?? createMemoryBacking();
  const now = options.now ?? Date.now;
  const ns = `${options.namespace ?? 'default'}\u0000`;
  const full = (key: string) => ns + key;

  const notify = () => {
    for (const wake of [...backing.waiters]) wake();
  };

  const tryAcquire = (lockKey: string, owner: symbol, ttlMs: number): HeldLock | undefined => {
    const held = backing.locks.get(lockKey);
    if (held && held.expiresAt > now()) return undefined;
    const lock = { owner, expiresAt: now() + ttlMs };
    backing.locks.set(lockKey, lock);
    return lock;
  };

  return {
    specificationVersion: 'v1',
    description: `memory${options.namespace ? ` (namespace ${options.namespace})` : ''}`,
    async get(key) {
      assertValidKey(key);
      const text = backing.records.get(full(key));
      return text === undefined ? undefined : (JSON.parse(text) as StoreRecord);
    },
    async set(key, record) {
      assertValidKey(key);
      backing.records.set(full(key), JSON.stringify(record));
    },
    async delete(key) {
      assertValidKey(key);
      return backing.records.delete(full(key));
    },
    async list(prefix = '') {
      const keys: string[] = [];
      for (const k of backing.records.keys()) {
        if (k.startsWith(ns + prefix)) keys.push(k.slice(ns.length));
      }
      return keys;
    },
    async lock(key, lockOptions: LockOptions = {}): Promise<StoreLock> {
      assertValidKey(key);
      const ttlMs = lockOptions.ttlMs ?? DEFAULT_LOCK_TTL_MS;
      const timeoutMs = lockOptions.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
      const lockKey = full(key);
      const owner = Symbol('lock-owner');
      const deadline = now() + timeoutMs;
      let held = tryAcquire(lockKey, owner, ttlMs);
      while (!held) {
        lockOptions.signal?.throwIfAborted();
        const remaining = deadline - now();
        if (remaining <= 0) {
          throw new McpOAuthError(
            'store_lock_timeout',
            `Timed out after ${timeoutMs} ms waiting for the lock on "${key}" in the memory store.`,
            { details: { key, timeoutMs } },
          );
        }
        const current = backing.locks.get(lockKey);
        const untilExpiry = current ? Math.max(1, current.expiresAt - now()) : 1;
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            backing.waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, Math.min(remaining, untilExpiry, 1_000));
          backing.waiters.add(wake);
        });
        held = tryAcquire(lockKey, owner, ttlMs);
      }
      const acquired = held;
      return {
        key,
        expiresAt: acquired.expiresAt,
        async release() {
          if (backing.locks.get(lockKey)?.owner === owner) {
            backing.locks.delete(lockKey);
            notify();
          }
        },
      };
    },
  };
}
