import { join } from 'node:path';
import {
  assertValidKey,
  McpOAuthError,
  observeLock,
  type PruneOptions,
  type PruneResult,
  pruneStore,
  type TokenStore,
} from '@mcp-oauth/core/store';
import { fileIdOf, type StoreKeys, sameFileId } from './crypto.ts';
import { errnoOf, readFailed, storeError, symlinkRefused, writeFailed } from './errors.ts';
import { ensurePrivateDirs, readPrivateFile } from './fs-safe.ts';
import { acquireLock, type LockContext } from './lock.ts';
import type { FileStoreOptions } from './options.ts';
import type { PermissionPolicy } from './permissions.ts';
import { type DecodeResult, decodeRecord, encodeRecord } from './record-format.ts';
import { openStoreKeys } from './store-meta.ts';
import { resolveOptions } from './validate-options.ts';

const { readdirSync } = process.getBuiltinModule('node:fs'); // not imported: see packages/internal/README.md

const RECORD_FILE = /^([0-9a-f]{64})\.rec$/;

function corrupt(
  key: string,
  path: string,
  result: Exclude<DecodeResult, { ok: true }>,
): McpOAuthError {
  const why =
    result.reason === 'unsupported_version'
      ? `it was written in format version ${result.version} by a newer @mcp-oauth/store-file; upgrade to read it`
      : result.reason === 'authentication_failed'
        ? 'it fails authentication (tampered, truncated or damaged)'
        : 'it is not a record file this store wrote (truncated or overwritten)';
  return storeError(
    'store_corrupt',
    `The record "${key}" in the file store is unreadable: ${why}. It was left in place at ${path}; other records are unaffected. Delete the record and authorize again, or restore the file from a backup.`,
    { key, path, reason: result.reason, formatVersion: result.version },
  );
}

/**
 * The store `fileStore()` returns. It holds no connection: `close()` and `await using`'s
 * `[Symbol.asyncDispose]()` resolve at once.
 *
 * @example
 * ```ts
 * import { type FileStore, fileStore } from '@mcp-oauth/store-file';
 *
 * const store: FileStore = fileStore({ namespace: 'alice' });
 * const record = await store.get('tokens/https://mcp.example.com/mcp');
 * await store.close();
 * ```
 */
export interface FileStore extends TokenStore, AsyncDisposable {
  close(): Promise<void>;
  /**
   * Deletes records that can no longer serve a request: tokens past use (re-read under their
   * lock first), dynamic registrations no stored server uses, orphan DPoP keys. See
   * `pruneStore` in `@mcp-oauth/core/store`; `dryRun` only reports.
   */
  prune(options?: PruneOptions): Promise<PruneResult>;
}

/**
 * A `TokenStore` keeping each record in its own AES-256-GCM encrypted file, written
 * crash-safely, with a cross-process lock. See the README for the layout, the key
 * sources and the threat model.
 *
 * @example
 * ```ts
 * import { fileStore } from '@mcp-oauth/store-file';
 *
 * const store = fileStore(); // the platform's data folder, a random key in a 0600 key file
 * const lock = await store.lock('tokens/https://mcp.example.com/mcp', { ttlMs: 30_000 });
 * try {
 *   const current = await store.get('tokens/https://mcp.example.com/mcp');
 *   // ... refresh if needed, then store.set(...) before using the new tokens
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export function fileStore(options: FileStoreOptions = {}): FileStore {
  const resolved = resolveOptions(options);
  const { root, namespace } = resolved;
  const nsDir = join(root, 'namespaces', namespace);
  const policy: PermissionPolicy = { mode: resolved.insecurePermissions, warn: resolved.onWarning };
  let ready: Promise<StoreKeys> | undefined;
  let locksReady: Promise<LockContext> | undefined;
  let tidied: Promise<void> | undefined;

  /** Once per store: the folders checked (made if missing) and the key opened. What reads need. */
  const init = (): Promise<StoreKeys> => {
    ready ??= (async () => {
      await ensurePrivateDirs([root, join(root, 'namespaces'), nsDir], policy);
      return openStoreKeys(root, resolved.keySource, policy);
    })();
    ready.catch(() => {
      ready = undefined;
    });
    return ready;
  };

  /**
   * Once per store, at its first lock: the locks folder, and the temporary files that crashed
   * writers left there. A store that only reads (a process sending a stored token) never
   * touches it.
   */
  const initLocks = (): Promise<LockContext> => {
    locksReady ??= (async () => {
      await init();
      const locks = join(nsDir, 'locks');
      await ensurePrivateDirs([locks], policy);
      await (await import('./writes.ts')).removeStaleTemps(locks);
      return { dir: locks, policy, warn: resolved.onWarning };
    })();
    locksReady.catch(() => {
      locksReady = undefined;
    });
    return locksReady;
  };

  /** Once per store, at its first write: the temporary files crashed writers left in its folder. */
  const tidy = (): Promise<void> => {
    tidied ??= import('./writes.ts').then((writes) => writes.removeStaleTemps(nsDir));
    return tidied;
  };

  const pathOf = (keys: StoreKeys, key: string) => {
    const fileId = fileIdOf(keys, key);
    return { fileId, path: join(nsDir, `${fileId}.rec`), name: `${fileId}.rec` };
  };

  const store: FileStore = {
    specificationVersion: 'v1',
    description:
      namespace === 'default' ? `file (${root})` : `file (${root}, namespace ${namespace})`,

    async get(key) {
      assertValidKey(key);
      const keys = await init();
      const { fileId, path } = pathOf(keys, key);
      const bytes = await readPrivateFile(path, policy, `the record "${key}"`);
      if (!bytes) return undefined;
      const result = decodeRecord({ keys, namespace, fileId }, bytes);
      if (!result.ok) throw corrupt(key, path, result);
      if (result.value.key !== key)
        throw corrupt(key, path, { ok: false, reason: 'authentication_failed' });
      return result.value.record;
    },

    async set(key, record) {
      assertValidKey(key);
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        throw new McpOAuthError(
          'invalid_configuration',
          `The record for "${key}" must be a JSON object.`,
          { details: { key } },
        );
      }
      const [keys, writes] = await Promise.all([init(), import('./writes.ts'), tidy()]);
      const { fileId, path, name } = pathOf(keys, key);
      let bytes: Buffer;
      try {
        bytes = encodeRecord({ keys, namespace, fileId }, key, record);
      } catch (error) {
        throw new McpOAuthError(
          'invalid_configuration',
          `The record for "${key}" is not serializable as JSON.`,
          {
            details: { key },
            cause: error,
          },
        );
      }
      try {
        await writes.atomicReplace(nsDir, name, bytes);
      } catch (error) {
        throw writeFailed(`the record "${key}"`, path, error, { key });
      }
    },

    async delete(key) {
      assertValidKey(key);
      const [keys, writes] = await Promise.all([init(), import('./writes.ts'), tidy()]);
      const { path } = pathOf(keys, key);
      try {
        const stats = await writes.lstat(path);
        if (stats.isSymbolicLink()) throw symlinkRefused(path);
        await writes.unlink(path);
        await writes.syncDir(nsDir);
        return true;
      } catch (error) {
        if (errnoOf(error) === 'ENOENT') return false;
        throw writeFailed(`the record "${key}" (delete)`, path, error, { key });
      }
    },

    async list(prefix = '') {
      if (typeof prefix !== 'string')
        throw new McpOAuthError('invalid_configuration', 'list(prefix): prefix must be a string.');
      const keys = await init();
      let names: string[];
      try {
        // Synchronous, as reads are (see readPrivateFile): one folder of a few dozen names.
        names = readdirSync(nsDir);
      } catch (error) {
        throw readFailed('the store folder', nsDir, error);
      }
      const found: string[] = [];
      const ids = names
        .map((n) => RECORD_FILE.exec(n)?.[1])
        .filter((id): id is string => id !== undefined);
      for (let i = 0; i < ids.length; i += 32) {
        const batch = await Promise.all(ids.slice(i, i + 32).map((id) => readKey(keys, id)));
        for (const key of batch) if (key?.startsWith(prefix)) found.push(key);
      }
      return found;
    },

    async lock(key, lockOptions) {
      assertValidKey(key);
      const [keys, lockContext] = await Promise.all([init(), initLocks()]);
      return observeLock('file', key, () =>
        acquireLock(lockContext, fileIdOf(keys, key), key, lockOptions),
      );
    },

    async close() {},

    prune: (pruneOptions) => pruneStore(store, pruneOptions),

    [Symbol.asyncDispose]: () => store.close(),
  };
  return store;

  /** The record key inside one file, or undefined (with a warning) when it cannot be read. */
  async function readKey(keys: StoreKeys, fileId: string): Promise<string | undefined> {
    const path = join(nsDir, `${fileId}.rec`);
    try {
      const bytes = await readPrivateFile(path, policy, 'a record');
      if (!bytes) return undefined; // deleted meanwhile
      const result = decodeRecord({ keys, namespace, fileId }, bytes);
      if (result.ok && sameFileId(fileIdOf(keys, result.value.key), fileId))
        return result.value.key;
      resolved.onWarning({
        code: 'record_unreadable',
        path,
        message: `Skipped an unreadable record file while listing the store's records: ${path} (${result.ok ? 'key mismatch' : result.reason}). It was left in place.`,
      });
    } catch (error) {
      resolved.onWarning({
        code: 'record_unreadable',
        path,
        message: `Skipped a record file while listing the store's records: ${McpOAuthError.isInstance(error) ? error.message : path}`,
      });
    }
    return undefined;
  }
}
