import type { Accounts } from './accounts.ts';
import { type ChunkedIo, corruptError, parseManifest } from './chunked.ts';
import { decodeJson, encodeJson } from './codec.ts';
import type { FileLocker } from './file-lock.ts';
import type { SecretBackend } from './keyring.ts';

/**
 * The list of a namespace's keys, kept in its own (chunked) entry because not every platform
 * can enumerate entries by service. It is the source of truth for `list()`; changes happen
 * under a local lock so concurrent writers never lose each other's keys.
 */
export interface KeyIndex {
  /** `undefined` when the index entry does not exist (a new namespace, or a locked keyring). */
  read(): Promise<string[] | undefined>;
  add(key: string): Promise<void>;
  remove(key: string): Promise<void>;
}

const INDEX_LABEL = '(key index)';
const INDEX_LOCK_OPTIONS = { ttlMs: 15_000, timeoutMs: 30_000 };

export function keyIndex(
  backend: SecretBackend,
  io: ChunkedIo,
  accounts: Accounts,
  locker: FileLocker,
  service: string,
  lockName: string,
): KeyIndex {
  const load = async () => {
    const bytes = await backend.read(accounts.index);
    if (bytes === undefined) return undefined;
    const manifest = parseManifest(bytes);
    const payload = manifest && (await io.readPayload(manifest));
    if (!manifest || !payload) throw corruptError(INDEX_LABEL, service);
    let keys: unknown;
    try {
      keys = (decodeJson(manifest.enc, payload) as { keys?: unknown }).keys;
    } catch (error) {
      throw corruptError(INDEX_LABEL, service, error);
    }
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
      throw corruptError(INDEX_LABEL, service);
    }
    return { manifest, keys: keys as string[] };
  };

  const update = async (change: (keys: Set<string>) => boolean) => {
    const lock = await locker.acquire(lockName, INDEX_LABEL, INDEX_LOCK_OPTIONS);
    try {
      const current = await load();
      const keys = new Set(current?.keys ?? []);
      if (!change(keys)) return;
      await io.write(accounts.index, encodeJson({ v: 1, keys: [...keys] }), current?.manifest);
    } finally {
      await lock.release();
    }
  };

  return {
    async read() {
      return (await load())?.keys;
    },
    async add(key) {
      if ((await load())?.keys.includes(key)) return;
      await update((keys) => {
        if (keys.has(key)) return false;
        keys.add(key);
        return true;
      });
    },
    async remove(key) {
      if (!(await load())?.keys.includes(key)) return;
      await update((keys) => keys.delete(key));
    },
  };
}
