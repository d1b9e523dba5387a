import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_LOCK_TTL_MS,
  type LockOptions,
  McpOAuthError,
  type StoreLock,
} from '@mcp-oauth/core/store';

interface LockFile {
  token: string;
  pid: number;
  host: string;
  expiresAt: number;
}

const HOST = hostname();

function isLockFile(value: unknown): value is LockFile {
  const v = value as Partial<LockFile> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.token === 'string' &&
    typeof v.pid === 'number' &&
    typeof v.host === 'string' &&
    typeof v.expiresAt === 'number'
  );
}

/** The lock at `path`: its content, 'missing', or 'invalid' (damaged: treated as stale). */
async function readLock(path: string): Promise<LockFile | 'missing' | 'invalid'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'invalid';
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isLockFile(parsed) ? parsed : 'invalid';
  } catch {
    return 'invalid';
  }
}

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function isStale(lock: LockFile, now: number): boolean {
  if (lock.expiresAt <= now) return true;
  return lock.host === HOST && lock.pid !== process.pid && processIsGone(lock.pid);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    // An abort while the lock file was being read has already fired: no event will come.
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface FileLocker {
  /** `name` is a file-system-safe id of the lock; `label` names it in messages. */
  acquire(name: string, label: string, options?: LockOptions): Promise<StoreLock>;
}

/**
 * Exclusive, expiring locks as files in one folder, shared by every process of the user on
 * this machine. A lock file is created complete and atomically (written aside, then
 * hard-linked into place, which fails if the name exists); it records the holder's pid and
 * an expiry. A lock past its expiry, or whose holder process on this host is gone, is taken
 * over: renamed aside (atomic, so only one contender removes it) and re-checked.
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

  const tryCreate = async (path: string, content: LockFile): Promise<boolean> => {
    const aside = `${path}.${content.token}.new`;
    await writeFile(aside, JSON.stringify(content), { mode: 0o600 });
    try {
      await link(aside, path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(aside).catch(() => undefined);
    }
  };

  /** Removes `observed` if it is still the file at `path`; never removes a newer lock. */
  const takeOver = async (path: string, observed: LockFile | 'invalid'): Promise<void> => {
    const aside = `${path}.${randomBytes(6).toString('hex')}.stale`;
    try {
      await rename(path, aside);
    } catch {
      return; // somebody else moved it first
    }
    const moved = await readLock(aside);
    const observedToken = observed === 'invalid' ? undefined : observed.token;
    if (typeof moved === 'object' && moved.token !== observedToken) {
      // We moved a lock that replaced the stale one in between: put it back.
      await link(aside, path).catch(() => undefined);
    }
    await unlink(aside).catch(() => undefined);
  };

  return {
    async acquire(name, label, options = {}) {
      const ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
      const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
      const signal = options.signal;
      signal?.throwIfAborted();
      await ensureDir();
      const path = join(dir, `${name}.lock`);
      const token = randomBytes(12).toString('hex');
      const deadline = Date.now() + timeoutMs;
      let delay = 5;
      for (;;) {
        const content: LockFile = {
          token,
          pid: process.pid,
          host: HOST,
          expiresAt: Date.now() + ttlMs,
        };
        let created: boolean;
        try {
          created = await tryCreate(path, content);
        } catch (error) {
          throw new McpOAuthError(
            'store_unavailable',
            `Cannot write lock files in ${dir} for ${storeLabel}. Make the folder writable or pass another \`lockDir\`.`,
            { cause: error, details: { lockDir: dir, key: label } },
          );
        }
        if (created) return heldLock(path, label, content);
        const current = await readLock(path);
        const retryNow =
          current === 'missing' || current === 'invalid' || isStale(current, Date.now());
        if (retryNow && current !== 'missing') await takeOver(path, current);
        const remaining = deadline - Date.now();
        if (retryNow && remaining > 0) continue;
        if (remaining <= 0) {
          throw new McpOAuthError(
            'store_lock_timeout',
            `Timed out after ${timeoutMs} ms waiting for the lock on "${label}" in ${storeLabel}. Another process holds it; retry later, or remove the lock file in ${dir} if no process is running.`,
            { details: { key: label, timeoutMs, lockDir: dir } },
          );
        }
        const untilExpiry =
          typeof current === 'object' ? Math.max(1, current.expiresAt - Date.now()) : delay;
        await sleep(Math.min(remaining, untilExpiry, delay + Math.random() * delay), signal);
        delay = Math.min(delay * 2, 50);
      }
    },
  };
}

function heldLock(path: string, key: string, content: LockFile): StoreLock {
  let released = false;
  return {
    key,
    expiresAt: content.expiresAt,
    async release() {
      if (released) return;
      released = true;
      const current = await readLock(path);
      if (typeof current === 'object' && current.token === content.token)
        await unlink(path).catch(() => undefined);
    },
  };
}
