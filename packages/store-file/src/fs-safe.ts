import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, mkdir, open } from 'node:fs/promises';
import { errnoOf, readFailed, storeError, symlinkRefused } from './errors.ts';
import { DIR_MODE, enforcePrivate, type PermissionPolicy } from './permissions.ts';

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

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
 * `ensurePrivateDir` for a chain of folders, each inside the one before. When they all exist
 * (every start after the first), their checks share one round of `lstat` calls; otherwise
 * each is made and checked in turn.
 */
export async function ensurePrivateDirs(
  paths: readonly string[],
  policy: PermissionPolicy,
): Promise<void> {
  const found = await Promise.all(paths.map((path) => lstat(path).catch(() => undefined)));
  if (found.some((stats) => !stats?.isDirectory() || stats.isSymbolicLink())) {
    for (const path of paths) await ensurePrivateDir(path, policy);
    return;
  }
  for (const [i, path] of paths.entries()) await enforcePrivate(path, found[i] as Stats, policy);
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
