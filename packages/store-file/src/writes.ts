// What writes, deletes, locks and new stores need, loaded at the first of them
// (`import('./writes.ts')`): a process that only reads records loads neither node:fs/promises
// nor the atomic writer nor the lock. Imports nothing of this package, so that the published
// entry stays one file and this one chunk.
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TMP_PREFIX } from '@mcp-oauth/internal/node';

export { lstat, mkdir, unlink } from 'node:fs/promises';
export {
  acquireFileLock,
  atomicReplace,
  createExclusive,
  FileLockError,
  syncDir,
} from '@mcp-oauth/internal/node';

const STALE_TMP_MS = 60 * 60 * 1000;

/** Removes temporary files left by writers that crashed more than an hour ago. */
export async function removeStaleTemps(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const cutoff = Date.now() - STALE_TMP_MS;
  for (const name of names) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const path = join(dir, name);
    const stats = await lstat(path).catch(() => undefined);
    if (stats?.isFile() && stats.mtimeMs < cutoff) await unlink(path).catch(() => {});
  }
}
