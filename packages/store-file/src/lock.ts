import { type LockOptions, resolveLockOptions, type StoreLock } from '@mcp-oauth/core/store';
import type { FileLockError } from '@mcp-oauth/internal/node';
import { storeError, writeFailed } from './errors.ts';
import { readPrivateFile } from './fs-safe.ts';
import type { FileStoreWarning } from './options.ts';
import type { PermissionPolicy } from './permissions.ts';

export interface LockContext {
  /** The namespace's `locks/` folder. */
  dir: string;
  policy: PermissionPolicy;
  warn(warning: FileStoreWarning): void;
}

/** The file store's words for a lock that failed: the record key, the folder, what to do. */
function lockError(
  error: unknown,
  key: string,
  timeoutMs: number,
  LockError: typeof FileLockError,
): unknown {
  if (!(error instanceof LockError)) return error;
  if (error.reason !== 'timeout')
    return writeFailed(`the lock of "${key}"`, error.path, error.cause, { key });
  const until =
    error.expiresAt === undefined ? '' : ` until ${new Date(error.expiresAt).toISOString()}`;
  return storeError(
    'store_lock_timeout',
    `Timed out after ${timeoutMs} ms waiting for the lock on "${key}" in the file store; another process holds it${until}.`,
    {
      key,
      timeoutMs,
      ...(error.holder ? { holderPid: error.holder.pid, holderHost: error.holder.host } : {}),
    },
  );
}

/** Acquires the cross-process lock of one record key (see README: "Locking"). */
export async function acquireLock(
  ctx: LockContext,
  fileId: string,
  key: string,
  options: LockOptions = {},
): Promise<StoreLock> {
  const { ttlMs, timeoutMs } = resolveLockOptions(options);
  const { acquireFileLock, FileLockError } = await import('./writes.ts');
  const lock = await acquireFileLock({
    dir: ctx.dir,
    name: fileId,
    ttlMs,
    timeoutMs,
    signal: options.signal,
    readLockFile: (path) => readPrivateFile(path, ctx.policy, 'a lock file'),
    onTakeover: ({ path, reason, holderPid }) =>
      ctx.warn({
        code: 'stale_lock_recovered',
        path,
        message:
          reason === 'holder_gone'
            ? `Took over the lock of "${key}" from process ${holderPid}, which no longer runs.`
            : `Took over an unreadable, expired lock file for "${key}".`,
      }),
  }).catch((error: unknown) => {
    throw lockError(error, key, timeoutMs, FileLockError);
  });
  return {
    key,
    expiresAt: lock.expiresAt,
    release: () =>
      lock.release().catch((error: unknown) => {
        throw lockError(error, key, timeoutMs, FileLockError);
      }),
  };
}
