/**
 * JSON data as stores keep it. Stores never interpret records: they are core's data.
 *
 * @example
 * ```ts
 * import type { JsonValue } from '@mcp-oauth/core/store';
 *
 * const value: JsonValue = { scopes: ['mcp:read'], expiresAt: 1767225600000, dpop: null };
 * ```
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * A record: a JSON object produced by core, versioned by its own `v` field.
 *
 * @example
 * ```ts
 * import type { StoreRecord, TokenStore } from '@mcp-oauth/core/store';
 *
 * declare const store: TokenStore;
 * const record: StoreRecord | undefined = await store.get('alias:work');
 * if (record) console.log(record.kind, record.v);
 * ```
 */
export type StoreRecord = { [key: string]: JsonValue };

/**
 * Options of {@link TokenStore.lock}.
 *
 * @example
 * ```ts
 * import type { LockOptions, TokenStore } from '@mcp-oauth/core/store';
 *
 * declare const store: TokenStore;
 * const options: LockOptions = { ttlMs: 10_000, timeoutMs: 5_000, signal: AbortSignal.timeout(6_000) };
 * const lock = await store.lock('tokens:https://as.example.com https://mcp.example.com/mcp', options);
 * await lock.release();
 * ```
 */
export interface LockOptions {
  /** How long the lock lives if its holder never releases it (crash). Default 30 s. */
  ttlMs?: number;
  /** How long to wait for a lock held by someone else. Default 60 s; then `store_lock_timeout`. */
  timeoutMs?: number;
  /** Stops waiting for the lock when aborted (the wait rejects with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * A held store lock, from {@link TokenStore.lock}. Release it in a `finally`.
 *
 * @example
 * ```ts
 * import type { StoreLock, TokenStore } from '@mcp-oauth/core/store';
 *
 * declare const store: TokenStore;
 * const lock: StoreLock = await store.lock('alias:work');
 * try {
 *   await store.set('alias:work', { v: 1, kind: 'alias', name: 'work', serverUrl: 'https://mcp.example.com/mcp', createdAt: Date.now() });
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export interface StoreLock {
  /** The key the lock is for. */
  readonly key: string;
  /** Epoch milliseconds after which others may take the lock over. */
  readonly expiresAt: number;
  /** Releases the lock if this holder still owns it. Never throws for an expired lock. */
  release(): Promise<void>;
}

/**
 * The storage port of core, implemented by every store package.
 *
 * Contract (checked by the shared suite in `test/store-contract`):
 * - keys are any non-empty string of up to 1024 characters; `list(prefix)` returns
 *   every key starting with `prefix`, in no particular order;
 * - `get` returns a deep copy of what `set` stored, or `undefined`;
 * - every instance is bound to one namespace; namespaces never see each other's keys;
 * - `lock(key)` is exclusive across every instance sharing the same backend and
 *   namespace (threads, processes, machines, as far as the backend reaches), expires
 *   after `ttlMs`, and is independent of the record stored under the same key;
 * - failures throw `McpOAuthError` with a `store_*` code; a failed `set` leaves the
 *   previous record in place and is never silently ignored.
 *
 * @example
 * ```ts
 * import { createOAuthClient, memoryStore, type TokenStore } from '@mcp-oauth/core';
 *
 * const store: TokenStore = memoryStore({ namespace: 'work' });
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', store });
 * console.error(store.description, await store.list('tokens:'));
 * ```
 */
export interface TokenStore {
  /** The version of this contract the store implements, so the port can evolve. */
  readonly specificationVersion: 'v1';
  /** For messages and `show`: "memory", "file (/home/me/.local/share/mcp-oauth)", ... Never a secret. */
  readonly description: string;
  /** The record stored under `key` (a deep copy), or `undefined`. */
  get(key: string): Promise<StoreRecord | undefined>;
  /** Stores `record` under `key`, replacing any previous one. */
  set(key: string, record: StoreRecord): Promise<void>;
  /** Returns whether a record existed. */
  delete(key: string): Promise<boolean>;
  /** Every key that starts with `prefix` (default: all), in no particular order. */
  list(prefix?: string): Promise<string[]>;
  /**
   * Takes the exclusive lock for `key`, waiting while another holder has it; fails with
   * `store_lock_timeout` after `timeoutMs`.
   */
  lock(key: string, options?: LockOptions): Promise<StoreLock>;
  /** Frees resources (timers, connections). Optional. */
  close?(): Promise<void>;
}

/**
 * How long a lock lives by default if its holder never releases it, in ms (30 s).
 *
 * @example
 * ```ts
 * import { DEFAULT_LOCK_TTL_MS, type LockOptions } from '@mcp-oauth/core/store';
 *
 * declare const options: LockOptions;
 * const ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
 * ```
 */
export const DEFAULT_LOCK_TTL_MS = 30_000;
/**
 * How long `lock()` waits by default for a lock held by someone else, in ms (60 s).
 *
 * @example
 * ```ts
 * import { DEFAULT_LOCK_TIMEOUT_MS, type LockOptions } from '@mcp-oauth/core/store';
 *
 * declare const options: LockOptions;
 * const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
 * ```
 */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
/**
 * The longest key a store must accept, in characters (1024).
 *
 * @example
 * ```ts
 * import { MAX_KEY_LENGTH } from '@mcp-oauth/core/store';
 *
 * const column = `key VARCHAR(${MAX_KEY_LENGTH}) PRIMARY KEY`;
 * ```
 */
export const MAX_KEY_LENGTH = 1024;
