import { mkdir } from 'node:fs/promises';
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_LOCK_TTL_MS,
  type LockOptions,
  McpOAuthError,
  type StoreLock,
} from '@mcp-oauth/core/store';
import { acquireFileLock, FileLockError } from '@mcp-oauth/internal/node';

export interface FileLocker {
  /** `name` is a file-system-safe id of the lock; `label` names it in messages. */
  acquire(name: string, label: string, options?: LockOptions): Promise<StoreLock>;
}

/**
 * Exclusive, expiring locks as files in one folder, shared by every process of the user on
 * this machine: the lock files of @mcp-oauth/store-file (one implementation, in
 * @mcp-oauth/internal). A lock past its expiry, or whose holder process on this host is
 * gone, is taken over.
 */
export function fileLocker(dir: string, storeLabel: string): FileLocker {
  let ready: Promise<unknown> | undefined;
  const ensureDir = () => {
    ready ??= mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      ready = undefined;
      throw new McpOAuthError(
        'store_unavailable',
        `Cannot create the lock folder of the keychain store (${dir}). Make it writable or pass another \`lockDir\`.`,
        { cause: error, details: { lockDir: dir } },
      );
    });
    return ready;
  };

  /** The keychain store's words for a lock that failed: the key, `lockDir`, what to do. */
  const lockError = (error: unknown, label: string, timeoutMs: number): unknown => {
    if (!(error instanceof FileLockError)) return error;
    if (error.reason === 'timeout') {
      return new McpOAuthError(
        'store_lock_timeout',
        `Timed out after ${timeoutMs} ms waiting for the lock on "${label}" in ${storeLabel}. Another process holds it; retry later, or remove the lock file in ${dir} if no process is running.`,
        { details: { key: label, timeoutMs, lockDir: dir } },
      );
    }
    return new McpOAuthError(
      'store_unavailable',
      `Cannot ${error.reason} lock files in ${dir} for ${storeLabel}. Make the folder writable or pass another \`lockDir\`.`,
      { cause: error.cause, details: { lockDir: dir, key: label } },
    );
  };

  return {
    async acquire(name, label, options = {}) {
      const ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
      const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
      options.signal?.throwIfAborted();
      await ensureDir();
      const lock = await acquireFileLock({
        dir,
        name,
        ttlMs,
        timeoutMs,
        signal: options.signal,
      }).catch((error: unknown) => {
        throw lockError(error, label, timeoutMs);
      });
      return {
        key: label,
        expiresAt: lock.expiresAt,
        release: () =>
          lock.release().catch((error: unknown) => {
            throw lockError(error, label, timeoutMs);
          }),
      };
    },
  };
}
