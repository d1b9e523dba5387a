import type { Stats } from 'node:fs';
import { errnoOf, folderNotCreated, readFailed, storeError, symlinkRefused } from './errors.ts';
import { DIR_MODE, enforcePrivate, type PermissionPolicy } from './permissions.ts';

const {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
} = process.getBuiltinModule('node:fs'); // not imported: see packages/internal/README.md

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** A FIFO planted where a file is expected is refused, not waited on (POSIX only). */
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

/** Creates `path` (0700) if missing, then refuses symlinks, foreign owners and loose modes. */
export async function ensurePrivateDir(path: string, policy: PermissionPolicy): Promise<void> {
  try {
    mkdirSync(path, { recursive: true, mode: DIR_MODE });
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw folderNotCreated(path, error);
  }
  let stats: Stats;
  try {
    stats = lstatSync(path);
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
 * `ensurePrivateDir` for a chain of folders, each inside the one before. When they all exist
 * (every start after the first), they are checked with one `lstat` each, synchronously (see
 * `readPrivateFile`); otherwise each is made and checked in turn.
 */
export async function ensurePrivateDirs(
  paths: readonly string[],
  policy: PermissionPolicy,
): Promise<void> {
  const found = paths.map((path) => lstatSafe(path));
  if (found.some((stats) => !stats?.isDirectory() || stats.isSymbolicLink())) {
    for (const path of paths) await ensurePrivateDir(path, policy);
    return;
  }
  for (const [i, path] of paths.entries()) await enforcePrivate(path, found[i] as Stats, policy);
}

function lstatSafe(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // EACCES and the like: the slow path reports it
  }
}

/**
 * Opens a regular file for reading without following symlinks, checks its owner and mode
 * and returns its bytes. Returns undefined when the file does not exist.
 *
 * The calls are synchronous: the files read here (records, the metadata, the key file,
 * lock files) are a few hundred bytes on a local disk, so open, fstat, read and close take
 * microseconds, while each round trip through libuv's thread pool costs more than the call
 * itself, and the first one starts the pool (about a millisecond at process start). Writes
 * and their fsyncs stay asynchronous.
 */
export async function readPrivateFile(
  path: string,
  policy: PermissionPolicy,
  what: string,
): Promise<Buffer | undefined> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw readFailed(what, path, error);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw storeError(
        'store_insecure_permissions',
        `${path} is not a regular file; refusing to read it.`,
        { path },
      );
    }
    await enforcePrivate(path, stats, policy, (mode) => fchmodSync(fd, mode));
    return readFileSync(fd);
  } catch (error) {
    throw readFailed(what, path, error);
  } finally {
    closeSync(fd);
  }
}
