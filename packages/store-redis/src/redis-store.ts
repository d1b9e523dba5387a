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
import { deriveKeys, idOf } from './crypto.ts';
import { layoutOf } from './layout.ts';
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
import { resolveOptions } from './validate-options.ts';

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
  const { namespace } = resolved;
  const ctx: Context = { keys: deriveKeys(resolved.masterKey), namespace };
  resolved.masterKey.fill(0);
  const layout = layoutOf(resolved.keyPrefix, namespace);
  const conn = new Connection(resolved);
  let checked: Promise<void> | undefined;

  /** Once per store: the key check of the namespace, written on first use, must open. */
  const ready = (): Promise<void> => {
    checked ??= (async () => {
      // A plain read first: works on a read-only replica, and costs no write once created.
      const text =
        (await conn.get(layout.check, 'connect')) ??
        (await conn.run(KEY_CHECK, [layout.check], [encodeCheck(ctx)], 'connect'));
      const result = checkOpens(ctx, String(text));
      if (!result.ok) {
        throw new McpOAuthError(
          'store_wrong_key',
          `The encryptionKey option does not open the Redis store's namespace "${namespace}" (${conn.target}): it was created with another key. Use the key the other processes use; records written with it stay unreadable otherwise.`,
          { details: { option: 'encryptionKey', namespace, reason: result.reason } },
        );
      }
    })();
    checked.catch(() => {
      checked = undefined;
    });
    return checked;
  };

  const store: RedisStore = {
    specificationVersion: 'v1',
    description:
      namespace === 'default'
        ? `redis (${conn.target})`
        : `redis (${conn.target}, namespace ${namespace})`,

    async get(key) {
      assertValidKey(key);
      await ready();
      const id = idOf(ctx.keys, key);
      const text = await conn.get(layout.record(id), 'read', key);
      if (text === undefined) return undefined;
      const result = decodeRecord(ctx, id, text);
      if (!result.ok) throw unreadable(key, result);
      if (result.value.key !== key)
        throw unreadable(key, { ok: false, reason: 'authentication_failed' });
      return result.value.record;
    },

    async set(key, record) {
      assertValidKey(key);
      assertRecord(key, record);
      await ready();
      const id = idOf(ctx.keys, key);
      let value: string;
      let pxat: number | undefined;
      try {
        value = encodeRecord(ctx, id, key, record);
        pxat = expiryToWrite(resolved.recordExpiry(key, record), Date.now());
      } catch (error) {
        throw new McpOAuthError(
          'invalid_configuration',
          `The record for "${key}" is not serializable as JSON, or the recordExpiry option threw.`,
          { details: { key }, cause: error },
        );
      }
      await conn.run(
        SET_RECORD,
        [layout.record(id), layout.index],
        [value, id, encodeKey(ctx, id, key), pxat === undefined ? '' : String(pxat)],
        'write',
        key,
      );
    },

    async delete(key) {
      assertValidKey(key);
      await ready();
      const id = idOf(ctx.keys, key);
      const removed = await conn.run(
        DELETE_RECORD,
        [layout.record(id), layout.index],
        [id],
        'delete',
        key,
      );
      return Number(removed) > 0;
    },

    async list(prefix = '') {
      if (typeof prefix !== 'string') {
        throw new McpOAuthError('invalid_configuration', 'list(prefix): prefix must be a string.');
      }
      await ready();
      const found: string[] = [];
      let cursor = '0';
      do {
        const page = (await conn.run(
          LIST_PAGE,
          [layout.index],
          [cursor, layout.recordPrefix, LIST_PAGE_SIZE],
          'list',
        )) as unknown[];
        cursor = String(page[0]);
        for (let i = 1; i + 1 < page.length; i += 2) {
          const id = String(page[i]);
          const key = decodeKey(ctx, id, String(page[i + 1]));
          // An entry that does not open, or names another id, was not written by this key.
          if (key !== undefined && idOf(ctx.keys, key) === id && key.startsWith(prefix)) {
            found.push(key);
          }
        }
      } while (cursor !== '0');
      return [...new Set(found)];
    },

    async lock(key, lockOptions) {
      assertValidKey(key);
      await ready();
      return observeLock('redis', key, () =>
        acquireLock(conn, layout.lock(idOf(ctx.keys, key)), key, lockOptions),
      );
    },

    close: () => conn.close(),

    prune: (pruneOptions) => pruneStore(store, pruneOptions),

    [Symbol.asyncDispose]: () => store.close(),
  };
  return store;
}
