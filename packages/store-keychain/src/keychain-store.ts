import { randomBytes } from 'node:crypto';
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
import { accountsFor, sha256Hex } from './accounts.ts';
import { chunkedIo, corruptError, type Manifest, parseManifest } from './chunked.ts';
import { decodeJson, encodeJson } from './codec.ts';
import { fileLocker } from './file-lock.ts';
import { keyIndex } from './key-index.ts';
import { nativeBackend } from './keyring.ts';
import { type KeychainStoreOptions, resolveOptions } from './options.ts';
import { type KeychainProbeResult, probeKeychain } from './probe.ts';

/**
 * The store `keychainStore()` returns: a `TokenStore` with `probe()`, which tells whether the
 * OS credential store works here.
 *
 * @example
 * ```ts
 * import { type KeychainStore, keychainStore } from '@mcp-oauth/store-keychain';
 *
 * const store: KeychainStore = keychainStore();
 * const probe = await store.probe({ timeoutMs: 1_000 });
 * if (!probe.available) console.error(probe.error.message);
 * ```
 */
export interface KeychainStore extends TokenStore, AsyncDisposable {
  /** The store holds no connection or timer: resolves at once (`await using` calls it). */
  close(): Promise<void>;
  /**
   * Deletes records that can no longer serve a request: tokens past use (re-read under their
   * lock first), dynamic registrations no stored server uses, orphan DPoP keys. See
   * `pruneStore` in `@mcp-oauth/core/store`; `dryRun` only reports.
   */
  prune(options?: PruneOptions): Promise<PruneResult>;
  /**
   * Whether the OS credential store is usable here, answered within `probeTimeoutMs`
   * (default 3 s) whatever happens: it writes, reads back and deletes one entry in a child
   * process, which is killed if it does not finish. Never throws.
   */
  probe(options?: { timeoutMs?: number }): Promise<KeychainProbeResult>;
}

function platformName(): string {
  if (process.platform === 'darwin') return 'macOS Keychain';
  if (process.platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service';
}

/** How many times `get` starts over when a concurrent write replaced the chunks it was reading. */
const READ_ATTEMPTS = 3;

/**
 * A `TokenStore` in the operating system's credential store: macOS Keychain, Windows
 * Credential Manager, or the Secret Service (GNOME Keyring, KWallet) on Linux.
 *
 * @example
 * ```ts
 * import { keychainStore } from '@mcp-oauth/store-keychain';
 *
 * const store = keychainStore({ namespace: 'alice' });
 * const probe = await store.probe();
 * if (probe.available) {
 *   const record = await store.get('tokens/https://mcp.example.com/mcp');
 * }
 * await store.close?.();
 * ```
 */
export function keychainStore(options: KeychainStoreOptions = {}): KeychainStore {
  const { service, namespace, lockDir, probeTimeoutMs } = resolveOptions(options);
  const description = `keychain (${platformName()}, service "${service}", namespace "${namespace}")`;
  const accounts = accountsFor(namespace);
  const backend = nativeBackend(service);
  const io = chunkedIo(backend, accounts);
  const locker = fileLocker(lockDir, description);
  // Lock files of all stores share one folder: names carry the service and namespace.
  const lockPrefix = sha256Hex(`${service}\u0000${namespace}`).slice(0, 16);
  const index = keyIndex(backend, io, accounts, locker, service, `${lockPrefix}-index`);

  const readManifest = async (key: string): Promise<Manifest | undefined> => {
    const bytes = await backend.read(accounts.record(key));
    if (bytes === undefined) return undefined;
    const manifest = parseManifest(bytes);
    if (!manifest) throw corruptError(key, service);
    return manifest;
  };

  /**
   * A locked Secret Service answers reads with "not found". Before a miss is reported as
   * one, a write proves the keyring is open (it fails, with a typed error, when it is not).
   * Needed only while the namespace has no index entry: reading that entry proves it too.
   * Returns true when the check had to write (a prompt may just have unlocked the keyring,
   * so what was read before may be stale).
   */
  const assertUnlocked = async (): Promise<boolean> => {
    if ((await backend.read(accounts.index)) !== undefined) return false;
    await backend.write(accounts.unlockCheck, Buffer.from('ok'));
    return true;
  };

  const readRecord = async (key: string): Promise<StoreRecord | undefined> => {
    for (let attempt = 1; ; attempt++) {
      const manifest = await readManifest(key);
      if (!manifest) return undefined;
      const payload = await io.readPayload(manifest);
      if (!payload) {
        // A writer may have replaced the chunks since we read the manifest: look again.
        const now = await readManifest(key);
        if (attempt < READ_ATTEMPTS && now && now.sha256 !== manifest.sha256) continue;
        if (!now) return undefined;
        throw corruptError(key, service);
      }
      let record: unknown;
      try {
        record = decodeJson(manifest.enc, payload);
      } catch (error) {
        throw corruptError(key, service, error);
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        throw corruptError(key, service);
      }
      return record as StoreRecord;
    }
  };

  const store: KeychainStore = {
    specificationVersion: 'v1',
    description,

    async get(key) {
      assertValidKey(key);
      const record = await readRecord(key);
      if (record !== undefined) return record;
      return (await assertUnlocked()) ? readRecord(key) : undefined;
    },

    async set(key, record) {
      assertValidKey(key);
      let encoded: ReturnType<typeof encodeJson>;
      try {
        encoded = encodeJson(record);
      } catch (error) {
        throw new McpOAuthError(
          'store_write_failed',
          `The record "${key}" cannot be serialized to JSON; nothing was written.`,
          { cause: error, details: { key, service } },
        );
      }
      let previous: Manifest | undefined;
      try {
        previous = await readManifest(key);
      } catch (error) {
        if (!McpOAuthError.is(error, 'store_corrupt')) throw error;
      }
      // Listed first: a crash after this line leaves a listed key without a record (harmless),
      // never a record that `list()` cannot see.
      await index.add(key);
      try {
        await io.write(accounts.record(key), encoded, previous);
      } catch (error) {
        if (!previous) await index.remove(key).catch(() => undefined);
        throw error;
      }
    },

    async delete(key) {
      assertValidKey(key);
      let manifest: Manifest | undefined;
      try {
        manifest = await readManifest(key);
      } catch (error) {
        if (!McpOAuthError.is(error, 'store_corrupt')) throw error;
      }
      const existed = await io.remove(accounts.record(key), manifest);
      if (!existed) await assertUnlocked();
      await index.remove(key);
      return existed;
    },

    async list(prefix = '') {
      let keys = await index.read();
      if (keys === undefined) {
        await assertUnlocked();
        keys = (await index.read()) ?? [];
      }
      return keys.filter((key) => key.startsWith(prefix));
    },

    async lock(key: string, lockOptions?: LockOptions): Promise<StoreLock> {
      assertValidKey(key);
      return observeLock('keychain', key, () =>
        locker.acquire(`${lockPrefix}-${sha256Hex(key)}`, key, lockOptions),
      );
    },

    probe(probeOptions = {}) {
      // A name of its own per call, so that concurrent probes never see each other's entry.
      const account = `${accounts.probe}/${randomBytes(6).toString('hex')}`;
      return probeKeychain(service, account, probeOptions.timeoutMs ?? probeTimeoutMs);
    },

    async close() {},

    prune: (pruneOptions) => pruneStore(store, pruneOptions),

    [Symbol.asyncDispose]: () => store.close(),
  };
  return store;
}
