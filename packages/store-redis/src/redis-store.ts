import {
  assertValidKey,
  type LockOptions,
  McpOAuthError,
  observeLock,
  type PruneOptions,
  type PruneResult,
  pruneStore,
  type StoreRecord,
  type TokenStore,
} from '@mcp-oauth/core/store';
import { Connection } from './connection.ts';
import { deriveKeys, idOf, type StoreKeys } from './crypto.ts';
import { Layout } from './layout.ts';
import { acquireLock, type RedisStoreLock } from './lock.ts';
import type { RedisStoreOptions } from './options.ts';
import { expiryToWrite } from './record-expiry.ts';
import {
  type Context,
  checkOpens,
  decodeKey,
  decodeRecord,
  encodeCheck,
  encodeKey,
  encodeRecord,
  type Opened,
} from './record-format.ts';
import { DELETE_RECORD, KEY_CHECK, LIST_PAGE, SET_RECORD } from './scripts.ts';
import { type ResolvedOptions, resolveOptions } from './validate-options.ts';

/**
 * The store `redisStore()` returns: a `TokenStore` whose locks can also be extended.
 *
 * @example
 * ```ts
 * import { type RedisStore, redisStore } from '@mcp-oauth/store-redis';
 *
 * const store: RedisStore = redisStore({ encryptionKey: process.env.MCP_OAUTH_STORE_KEY ?? '' });
 * const record = await store.get('tokens/https://mcp.example.com/mcp');
 * await store.close();
 * ```
 */
export interface RedisStore extends TokenStore, AsyncDisposable {
  /**
   * Takes the exclusive lock of one record key across every process sharing the store:
   * a lease of `ttlMs` in Redis, waited for up to `timeoutMs`.
   */
  lock(key: string, options?: LockOptions): Promise<RedisStoreLock>;
  /**
   * Closes the connection the store opened; a client passed as `client` stays open.
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

const LIST_PAGE_SIZE = '200';

function assertRecord(key: string, record: unknown): asserts record is StoreRecord {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new McpOAuthError(
      'invalid_configuration',
      `The record for "${key}" must be a JSON object.`,
      {
        details: { key },
      },
    );
  }
}

function unreadable(key: string, result: Exclude<Opened<unknown>, { ok: true }>): McpOAuthError {
  const why =
    result.reason === 'unsupported_version'
      ? `it was written in format version ${result.version} by a newer @mcp-oauth/store-redis; upgrade to read it`
      : result.reason === 'authentication_failed'
        ? 'it fails authentication (changed in Redis, or copied from another key or namespace)'
        : 'it is not a value this store wrote (another application writes under the same keyPrefix option?)';
  return new McpOAuthError(
    'store_corrupt',
    `The record "${key}" in the Redis store is unreadable: ${why}. It was left in place; other records are unaffected. Delete it and authorize again.`,
    { details: { key, reason: result.reason, formatVersion: result.version } },
  );
}

/**
 * A `TokenStore` in Redis or Valkey (standalone, Sentinel or Cluster), for fleets of
 * gateways: records encrypted with the application's key (AES-256-GCM), a lock that is
 * a lease only its holder can end (`SET NX PX`, compare-and-delete), tenants isolated by
 * namespace. See the README for the layout, the lock's guarantees and failover.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { redisStore } from '@mcp-oauth/store-redis';
 *
 * const tenantId = 'acme';
 * const store = redisStore({
 *   url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', // redis://:password@host:6379
 *   encryptionKey: process.env.MCP_OAUTH_STORE_KEY ?? '', // base64 of 32 random bytes
 *   namespace: `tenant-${tenantId}`,
 * });
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', store });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  const resolved = resolveOptions(options);
  const keys = deriveKeys(resolved.masterKey);
  resolved.masterKey.fill(0);
  return new RedisNamespaceStore(backendOf(resolved, keys), resolved);
}

/**
 * What the stores of one application client and one key share: the derived keys and the
 * connection wrapper. A gateway makes one `redisStore` per tenant namespace on one client:
 * each is then a thin view (a namespace, its key names, its key check), not a copy of this.
 */
interface Backend {
  readonly keys: StoreKeys;
  readonly conn: Connection;
}

/** Backends of application clients, by client, then by key and timeout. */
const backends = new WeakMap<object, Map<string, Backend>>();

function backendOf(resolved: ResolvedOptions, keys: StoreKeys): Backend {
  const { connection } = resolved;
  // a connection the store opens is its own: nothing to share
  if (connection.kind !== 'client') return { keys, conn: new Connection(resolved) };
  let byKey = backends.get(connection.client);
  if (!byKey) {
    byKey = new Map();
    backends.set(connection.client, byKey);
  }
  // an HMAC of the key (never the key) and the command timeout the connection applies
  const id = `${idOf(keys, 'backend')}:${resolved.commandTimeoutMs}`;
  let backend = byKey.get(id);
  if (!backend) {
    backend = { keys, conn: new Connection(resolved) };
    byKey.set(id, backend);
  }
  return backend;
}

/** One namespace of a Redis store: its methods are shared, its state is a few fields. */
class RedisNamespaceStore implements RedisStore {
  readonly specificationVersion = 'v1';
  readonly #namespace: string;
  readonly #backend: Backend;
  readonly #layout: Layout;
  readonly #recordExpiry: ResolvedOptions['recordExpiry'];
  /** The key check of the namespace: under way, or done. */
  #checked: Promise<void> | true | undefined;
  #closed = false;

  constructor(backend: Backend, resolved: ResolvedOptions) {
    this.#backend = backend;
    this.#namespace = resolved.namespace;
    this.#layout = new Layout(resolved.keyPrefix, resolved.namespace);
    this.#recordExpiry = resolved.recordExpiry;
  }

  /** What the record format binds values to: the keys and the namespace (made per call). */
  get #ctx(): Context {
    return { keys: this.#backend.keys, namespace: this.#namespace };
  }

  get #keys(): StoreKeys {
    return this.#backend.keys;
  }

  get description(): string {
    const namespace = this.#namespace;
    const { target } = this.#backend.conn;
    return namespace === 'default'
      ? `redis (${target})`
      : `redis (${target}, namespace ${namespace})`;
  }

  /** The connection, unless this store was closed (another store may share it). */
  get #conn(): Connection {
    const { conn } = this.#backend;
    if (this.#closed) throw conn.closedError();
    return conn;
  }

  /** Once per store: the key check of the namespace, written on first use, must open. */
  #ready(): Promise<void> | undefined {
    if (this.#checked === true) return undefined;
    this.#checked ??= this.#check().then(
      () => {
        this.#checked = true;
      },
      (error: unknown) => {
        this.#checked = undefined;
        throw error;
      },
    );
    return this.#checked;
  }

  async #check(): Promise<void> {
    const conn = this.#conn;
    const { check } = this.#layout;
    // A plain read first: works on a read-only replica, and costs no write once created.
    const text =
      (await conn.get(check, 'connect')) ??
      (await conn.run(KEY_CHECK, [check], [encodeCheck(this.#ctx)], 'connect'));
    const result = checkOpens(this.#ctx, String(text));
    if (!result.ok) {
      throw new McpOAuthError(
        'store_wrong_key',
        `The encryptionKey option does not open the Redis store's namespace "${this.#namespace}" (${conn.target}): it was created with another key. Use the key the other processes use; records written with it stay unreadable otherwise.`,
        { details: { option: 'encryptionKey', namespace: this.#namespace, reason: result.reason } },
      );
    }
  }

  async get(key: string): Promise<StoreRecord | undefined> {
    assertValidKey(key);
    await this.#ready();
    const id = idOf(this.#keys, key);
    const text = await this.#conn.get(this.#layout.record(id), 'read', key);
    if (text === undefined) return undefined;
    const result = decodeRecord(this.#ctx, id, text);
    if (!result.ok) throw unreadable(key, result);
    if (result.value.key !== key)
      throw unreadable(key, { ok: false, reason: 'authentication_failed' });
    return result.value.record;
  }

  async set(key: string, record: StoreRecord): Promise<void> {
    assertValidKey(key);
    assertRecord(key, record);
    await this.#ready();
    const id = idOf(this.#keys, key);
    let value: string;
    let pxat: number | undefined;
    try {
      value = encodeRecord(this.#ctx, id, key, record);
      pxat = expiryToWrite(this.#recordExpiry(key, record), Date.now());
    } catch (error) {
      throw new McpOAuthError(
        'invalid_configuration',
        `The record for "${key}" is not serializable as JSON, or the recordExpiry option threw.`,
        { details: { key }, cause: error },
      );
    }
    await this.#conn.run(
      SET_RECORD,
      [this.#layout.record(id), this.#layout.index],
      [value, id, encodeKey(this.#ctx, id, key), pxat === undefined ? '' : String(pxat)],
      'write',
      key,
    );
  }

  async delete(key: string): Promise<boolean> {
    assertValidKey(key);
    await this.#ready();
    const id = idOf(this.#keys, key);
    const removed = await this.#conn.run(
      DELETE_RECORD,
      [this.#layout.record(id), this.#layout.index],
      [id],
      'delete',
      key,
    );
    return Number(removed) > 0;
  }

  async list(prefix = ''): Promise<string[]> {
    if (typeof prefix !== 'string') {
      throw new McpOAuthError('invalid_configuration', 'list(prefix): prefix must be a string.');
    }
    await this.#ready();
    const found: string[] = [];
    const ctx = this.#ctx;
    const { index, recordPrefix } = this.#layout;
    let cursor = '0';
    do {
      const page = (await this.#conn.run(
        LIST_PAGE,
        [index],
        [cursor, recordPrefix, LIST_PAGE_SIZE],
        'list',
      )) as unknown[];
      cursor = String(page[0]);
      for (let i = 1; i + 1 < page.length; i += 2) {
        const id = String(page[i]);
        const key = decodeKey(ctx, id, String(page[i + 1]));
        // An entry that does not open, or names another id, was not written by this key.
        if (key !== undefined && idOf(this.#keys, key) === id && key.startsWith(prefix)) {
          found.push(key);
        }
      }
    } while (cursor !== '0');
    return [...new Set(found)];
  }

  async lock(key: string, lockOptions?: LockOptions): Promise<RedisStoreLock> {
    assertValidKey(key);
    await this.#ready();
    const conn = this.#conn;
    const lockKey = this.#layout.lock(idOf(this.#keys, key));
    return observeLock('redis', key, () => acquireLock(conn, lockKey, key, lockOptions));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // the application's client stays open; a connection this store opened is its own
    const { conn } = this.#backend;
    if (conn.option !== 'client') await conn.close();
  }

  prune(pruneOptions?: PruneOptions): Promise<PruneResult> {
    return pruneStore(this, pruneOptions);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
