import { link, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const { randomBytes } = process.getBuiltinModule('node:crypto'); // not imported: see README.md
const { constants } = process.getBuiltinModule('node:fs'); // not imported: see README.md

const IS_WINDOWS = process.platform === 'win32';
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_DIRECTORY = constants.O_DIRECTORY ?? 0;
const FILE_MODE = 0o600;

/** Prefix of the temporary files written here; callers never give a file such a name. */
export const TMP_PREFIX = '.tmp-';

/** fsync a folder so a rename, link or unlink in it survives a power loss (POSIX only). */
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
 * Creates `dir/name` (0600) with `data` only if it does not exist, atomically and complete
 * (temp file + hard link, which fails with EEXIST). Returns false if it already existed.
 * Throws the raw fs error otherwise.
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
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(tmp).catch(() => {});
  }
  await syncDir(dir);
  return true;
}
