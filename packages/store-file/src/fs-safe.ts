import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, link, lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoOf, readFailed, storeError, symlinkRefused } from './errors.ts';
import { DIR_MODE, enforcePrivate, FILE_MODE, type PermissionPolicy } from './permissions.ts';

const IS_WINDOWS = process.platform === 'win32';
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_DIRECTORY = constants.O_DIRECTORY ?? 0;
/** Prefix of temporary files; never a record, lock or key file name. */
export const TMP_PREFIX = '.tmp-';

/** Creates `path` (0700) if missing, then refuses symlinks, foreign owners and loose modes. */
export async function ensurePrivateDir(path: string, policy: PermissionPolicy): Promise<void> {
  try {
    await mkdir(path, { recursive: true, mode: DIR_MODE });
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw readFailed('the folder', path, error);
  }
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(path);
  } catch (error) {
    throw readFailed('the folder', path, error);
  }
  if (stats.isSymbolicLink()) throw symlinkRefused(path);
  if (!stats.isDirectory()) {
    throw storeError('store_unavailable', `${path} exists but is not a folder.`, { path });
  }
  await enforcePrivate(path, stats, policy);
}

/**
 * Opens a regular file for reading without following symlinks and checks its owner and
 * mode. Returns undefined when the file does not exist.
 */
export async function readPrivateFile(
  path: string,
  policy: PermissionPolicy,
  what: string,
): Promise<Buffer | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | O_NOFOLLOW);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw readFailed(what, path, error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw storeError(
        'store_insecure_permissions',
        `${path} is not a regular file; refusing to read it.`,
        { path },
      );
    }
    await enforcePrivate(path, stats, policy, handle);
    return await handle.readFile();
  } catch (error) {
    throw readFailed(what, path, error);
  } finally {
    await handle.close().catch(() => {});
  }
}

/** fsync a folder so a rename or unlink in it survives a power loss (POSIX only). */
export async function syncDir(dir: string): Promise<void> {
  if (IS_WINDOWS) return;
  const handle = await open(dir, constants.O_RDONLY | O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to a new 0600 temporary file in `dir`, fsynced. Returns its path. */
async function writeTemp(dir: string, data: Uint8Array): Promise<string> {
  const tmp = join(dir, `${TMP_PREFIX}${process.pid}-${randomBytes(8).toString('hex')}`);
  const handle = await open(
    tmp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW,
    FILE_MODE,
  );
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw error;
  }
  await handle.close();
  return tmp;
}

/**
 * Replaces `dir/name` atomically: temp file, write, fsync, rename, fsync folder. A crash
 * at any point leaves the old file or the new one, never a torn one. Throws the raw fs
 * error; callers wrap it.
 */
export async function atomicReplace(dir: string, name: string, data: Uint8Array): Promise<void> {
  const tmp = await writeTemp(dir, data);
  try {
    await rename(tmp, join(dir, name));
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  await syncDir(dir);
}

/**
 * Creates `dir/name` with `data` only if it does not exist, atomically and complete
 * (temp file + hard link, which fails with EEXIST). Returns false if it already existed.
 */
export async function createExclusive(
  dir: string,
  name: string,
  data: Uint8Array,
): Promise<boolean> {
  const tmp = await writeTemp(dir, data);
  try {
    await link(tmp, join(dir, name));
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(tmp).catch(() => {});
  }
  await syncDir(dir);
  return true;
}
