import {
  assertValidKey,
  type LockOptions,
  McpOAuthError,
  observeLock,
  type PruneOptions,
  type PruneResult,
  pruneStore,
  type StoreLock,
  type StoreRecord,
  type TokenStore,
} from '@mcp-oauth/core/store';
import { backoffDelay, sleep } from '@mcp-oauth/internal';
import { assertSegments, decodeKey, encodeKey } from './key-codec.ts';
import { KvClient } from './kv.ts';
import { acquireLease } from './lease-lock.ts';
import { resolveOptions, type VaultStoreOptions } from './options.ts';
import { VaultSession } from './session.ts';

/** Waits between check-and-set rounds lost to another writer: 5 ms growing to 100 ms. */
const CONFLICT_BACKOFF = { minDelayMs: 5, maxDelayMs: 100 };

/** The field of the KV secret that holds the record's JSON text (an exact round trip). */
const RECORD_FIELD = 'record';

function assertRecord(record: unknown): asserts record is StoreRecord {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new McpOAuthError('invalid_configuration', 'Store records must be JSON objects.');
  }
}

/**
 * The store `vaultStore()` returns: a `TokenStore` whose `close()` ends its Vault session.
 *
 * @example
 * ```ts
 * import { type VaultStore, vaultStore } from '@mcp-oauth/store-vault';
 *
 * const store: VaultStore = vaultStore(); // VAULT_ADDR and VAULT_TOKEN from the environment
 * try {
 *   const record = await store.get('tokens/https://mcp.example.com/mcp');
 * } finally {
 *   await store.close();
 * }
 * ```
 */
export interface VaultStore extends TokenStore, AsyncDisposable {
  /**
   * Stops renewing the Vault token (the store's timers); the store is not used afterwards.
   * `await using` calls it.
   */
  close(): Promise<void>;
  /**
   * Deletes records that can no longer serve a request: tokens past use (re-read under their
   * lock first), dynamic registrations no stored server uses, orphan DPoP keys. See
   * `pruneStore` in `@mcp-oauth/core/store`; `dryRun` only reports.
   */
  prune(options?: PruneOptions): Promise<PruneResult>;
}

/**
 * A `TokenStore` in HashiCorp Vault's KV version 2 engine, shared by every process
 * and machine that uses the same Vault, mount, path prefix and namespace.
 *
 * Layout: `<mount>/data/<pathPrefix>/<namespace>/<base64url(key)>` holds
 * `{ record: "<json>" }`; locks are leases at `.../<namespace>/_locks/<base64url(key)>`.
 *
 * @example
 * ```ts
 * import { vaultStore } from '@mcp-oauth/store-vault';
 *
 * const store = vaultStore({
 *   address: 'https://vault.internal:8200',
 *   auth: { token: process.env.VAULT_TOKEN ?? '' },
 *   namespace: 'alice',
 * });
 * await store.set('tokens/https://mcp.example.com/mcp', { v: 1, access_token: '…' });
 * await store.close();
 * ```
 */
export function vaultStore(options: VaultStoreOptions = {}): VaultStore {
  const opts = resolveOptions(options, process.env);
  assertSegments('mount', opts.mount, true);
  assertSegments('pathPrefix', opts.pathPrefix, true);
  assertSegments('namespace', opts.namespace, false);
  const session = new VaultSession(opts);
  const kv = new KvClient(opts, session);
  const base = `${opts.pathPrefix}/${opts.namespace}`;
  const recordRel = (key: string) => `${base}/${encodeKey(key)}`;
  const lockRel = (key: string) => `${base}/_locks/${encodeKey(key)}`;

  async function get(key: string): Promise<StoreRecord | undefined> {
    assertValidKey(key);
    const found = await kv.read(recordRel(key));
    if (found.state !== 'live') return undefined;
    const text = found.data[RECORD_FIELD];
    try {
      if (typeof text !== 'string') throw new Error(`no "${RECORD_FIELD}" field`);
      const record = JSON.parse(text) as unknown;
      assertRecord(record);
      return record;
    } catch (error) {
      throw new McpOAuthError(
        'store_corrupt',
        `The Vault secret ${kv.path('data', recordRel(key))} is not an mcp-oauth record (version ${found.version}). Delete it or restore an earlier version.`,
        { cause: error, details: { key, version: found.version } },
      );
    }
  }

  /** Check-and-set write: read the current version, write with cas=<it>, re-read on conflict. */
  async function set(key: string, record: StoreRecord): Promise<void> {
    assertValidKey(key);
    assertRecord(record);
    const data = { [RECORD_FIELD]: JSON.stringify(record) };
    const rel = recordRel(key);
    for (let attempt = 0; attempt < opts.casAttempts; attempt++) {
      const current = await kv.read(rel);
      const cas = current.state === 'absent' ? 0 : current.version;
      const written = await kv.write(rel, data, cas);
      if (written.ok) return;
      await sleep(backoffDelay(attempt + 1, CONFLICT_BACKOFF));
    }
    throw new McpOAuthError(
      'store_conflict',
      `Gave up writing "${key}" to Vault after ${opts.casAttempts} check-and-set conflicts: too many writers on one key. The previous record is unchanged; retry.`,
      { details: { key, attempts: opts.casAttempts } },
    );
  }

  async function del(key: string): Promise<boolean> {
    assertValidKey(key);
    const rel = recordRel(key);
    const current = await kv.read(rel);
    if (opts.keepHistory) {
      if (current.state === 'live') await kv.deleteVersions(rel, [current.version]);
    } else if (current.state !== 'absent') {
      await kv.destroyAll(rel);
    }
    return current.state === 'live';
  }

  async function list(prefix = ''): Promise<string[]> {
    const names = await kv.list(`${base}/`);
    const keys: string[] = [];
    for (const name of names) {
      if (name.endsWith('/')) continue; // `_locks/` and anything that is not a record
      const key = decodeKey(name);
      if (key?.startsWith(prefix)) keys.push(key);
    }
    if (!opts.keepHistory) return keys;
    // With history kept, deleted records still have metadata: keep only live ones.
    const live: string[] = [];
    for (const key of keys) {
      if ((await kv.read(recordRel(key))).state === 'live') live.push(key);
    }
    return live;
  }

  function lock(key: string, lockOptions?: LockOptions): Promise<StoreLock> {
    assertValidKey(key);
    return observeLock('vault', key, () => acquireLease(kv, key, lockRel(key), lockOptions));
  }

  const where = `${opts.mount}/${base}${opts.vaultNamespace ? `, Vault namespace ${opts.vaultNamespace}` : ''}`;
  const store: VaultStore = {
    specificationVersion: 'v1',
    description: `vault (${opts.address}, ${where})`,
    get,
    set,
    delete: del,
    list,
    lock,
    async close() {
      session.close();
    },
    prune: (pruneOptions) => pruneStore(store, pruneOptions),
    [Symbol.asyncDispose]: () => store.close(),
  };
  return store;
}
