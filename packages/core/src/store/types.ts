/** JSON data as stores keep it. Stores never interpret records: they are core's data. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A record: a JSON object produced by core, versioned by its own `v` field. */
export type StoreRecord = { [key: string]: JsonValue };

export interface LockOptions {
  /** How long the lock lives if its holder never releases it (crash). Default 30 s. */
  ttlMs?: number;
  /** How long to wait for a lock held by someone else. Default 60 s; then `store_lock_timeout`. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface StoreLock {
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
 */
export interface TokenStore {
  readonly specificationVersion: 'v1';
  /** For messages and `show`: "memory", "file (/home/me/.local/share/mcp-oauth)", ... Never a secret. */
  readonly description: string;
  get(key: string): Promise<StoreRecord | undefined>;
  set(key: string, record: StoreRecord): Promise<void>;
  /** Returns whether a record existed. */
  delete(key: string): Promise<boolean>;
  list(prefix?: string): Promise<string[]>;
  lock(key: string, options?: LockOptions): Promise<StoreLock>;
  /** Frees resources (timers, connections). Optional. */
  close?(): Promise<void>;
}

export const DEFAULT_LOCK_TTL_MS = 30_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
export const MAX_KEY_LENGTH = 1024;
