import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_LOCK_TTL_MS,
  type LockOptions,
  McpOAuthError,
  type StoreLock,
} from '@mcp-oauth/core/store';
import { errnoOf, storeError, writeFailed } from './errors.ts';
import { createExclusive, readPrivateFile } from './fs-safe.ts';
import type { FileStoreWarning } from './options.ts';
import type { PermissionPolicy } from './permissions.ts';

/** The content of a lock file: who holds it and until when. No secret. */
interface LockOwner {
  v: 1;
  token: string;
  pid: number;
  host: string;
  acquiredAt: number;
  expiresAt: number;
}

/** A guard file lives for a few syscalls; one older than this was left by a dead process. */
const GUARD_STALE_MS = 2_000;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const HOST = hostname();

export interface LockContext {
  /** The namespace's `locks/` folder. */
  dir: string;
  policy: PermissionPolicy;
  warn(warning: FileStoreWarning): void;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    // An abort while the lock file was being read has already fired: no event will come.
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function processIsDead(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return errnoOf(error) === 'ESRCH';
  }
}

type Observed =
  | { kind: 'absent' }
  | { kind: 'owner'; owner: LockOwner }
  | { kind: 'garbled'; expiresAt: number };

async function observe(path: string, ctx: LockContext): Promise<Observed> {
  const bytes = await readPrivateFile(path, ctx.policy, 'a lock file');
  if (!bytes) return { kind: 'absent' };
  try {
    const owner = JSON.parse(bytes.toString('utf8')) as LockOwner;
    if (
      typeof owner.token === 'string' &&
      typeof owner.expiresAt === 'number' &&
      typeof owner.pid === 'number'
    ) {
      return { kind: 'owner', owner };
    }
  } catch {}
  // Not written by us (link creation makes ours complete): expire it like a default lock.
  const stats = await lstat(path).catch(() => undefined);
  return { kind: 'garbled', expiresAt: (stats?.mtimeMs ?? 0) + DEFAULT_LOCK_TTL_MS };
}

/**
 * Runs `fn` holding the key's guard file. Every removal of a lock file happens under the
 * guard after re-reading its owner, so a takeover or an expired holder's release can
 * never delete a lock that a newer holder has just created.
 */
async function withGuard<T>(
  ctx: LockContext,
  fileId: string,
  deadline: number,
  fn: () => Promise<T>,
): Promise<T> {
  const guard = join(ctx.dir, `${fileId}.guard`);
  for (;;) {
    try {
      const handle = await open(
        guard,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW,
        0o600,
      );
      await handle.close();
      break;
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw error;
    }
    const stats = await lstat(guard).catch(() => undefined);
    if (stats && Date.now() - stats.mtimeMs > GUARD_STALE_MS) await unlink(guard).catch(() => {});
    if (Date.now() > deadline) throw new Error('guard timeout');
    await sleep(2 + Math.random() * 3, undefined);
  }
  try {
    return await fn();
  } finally {
    await unlink(guard).catch(() => {});
  }
}

function sameOwner(a: Observed, b: Observed): boolean {
  if (a.kind === 'owner' && b.kind === 'owner') return a.owner.token === b.owner.token;
  return a.kind === 'garbled' && b.kind === 'garbled' && a.expiresAt === b.expiresAt;
}

/** Acquires the cross-process lock of one record key (see README: "Locking"). */
export async function acquireFileLock(
  ctx: LockContext,
  fileId: string,
  key: string,
  options: LockOptions = {},
): Promise<StoreLock> {
  const ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  if (!(ttlMs > 0) || !(timeoutMs >= 0)) {
    throw new McpOAuthError(
      'invalid_configuration',
      'Lock ttlMs must be positive and timeoutMs not negative.',
    );
  }
  const { signal } = options;
  const path = join(ctx.dir, `${fileId}.lock`);
  const name = `${fileId}.lock`;
  const token = randomBytes(16).toString('hex');
  const deadline = Date.now() + timeoutMs;
  let backoff = 5;

  for (;;) {
    signal?.throwIfAborted();
    const now = Date.now();
    const owner: LockOwner = {
      v: 1,
      token,
      pid: process.pid,
      host: HOST,
      acquiredAt: now,
      expiresAt: now + ttlMs,
    };
    try {
      if (await createExclusive(ctx.dir, name, Buffer.from(JSON.stringify(owner)))) {
        return handle(ctx, fileId, key, path, owner);
      }
    } catch (error) {
      throw writeFailed(`the lock of "${key}"`, path, error, { key });
    }
    const seen = await observe(path, ctx);
    if (seen.kind === 'absent') continue;
    const expiresAt = seen.kind === 'owner' ? seen.owner.expiresAt : seen.expiresAt;
    const dead =
      seen.kind === 'owner' &&
      seen.owner.host === HOST &&
      seen.owner.pid !== process.pid &&
      processIsDead(seen.owner.pid);
    if (dead || expiresAt <= Date.now()) {
      const removed = await withGuard(ctx, fileId, Date.now() + 10_000, async () => {
        const again = await observe(path, ctx);
        if (!sameOwner(seen, again)) return false;
        await unlink(path);
        return true;
      }).catch(() => false);
      if (removed && (dead || seen.kind === 'garbled')) {
        ctx.warn({
          code: 'stale_lock_recovered',
          path,
          message: dead
            ? `Took over the lock of "${key}" from process ${seen.kind === 'owner' ? seen.owner.pid : '?'}, which no longer runs.`
            : `Took over an unreadable, expired lock file for "${key}".`,
        });
      }
      continue;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw storeError(
        'store_lock_timeout',
        `Timed out after ${timeoutMs} ms waiting for the lock on "${key}" in the file store; another process holds it until ${new Date(expiresAt).toISOString()}.`,
        {
          key,
          timeoutMs,
          ...(seen.kind === 'owner'
            ? { holderPid: seen.owner.pid, holderHost: seen.owner.host }
            : {}),
        },
      );
    }
    const untilExpiry = Math.max(1, expiresAt - Date.now() + 1);
    await sleep(Math.min(remaining, untilExpiry, backoff * (0.5 + Math.random())), signal);
    backoff = Math.min(backoff * 1.5, 100);
  }
}

function handle(
  ctx: LockContext,
  fileId: string,
  key: string,
  path: string,
  owner: LockOwner,
): StoreLock {
  let released = false;
  return {
    key,
    expiresAt: owner.expiresAt,
    async release() {
      if (released) return;
      released = true;
      try {
        await withGuard(ctx, fileId, Date.now() + 10_000, async () => {
          const seen = await observe(path, ctx);
          // Only our own lock file: after expiry a new holder's file stays untouched.
          if (seen.kind === 'owner' && seen.owner.token === owner.token) await unlink(path);
        });
      } catch (error) {
        if (Date.now() >= owner.expiresAt) return;
        throw writeFailed(`the lock of "${key}"`, path, error, { key });
      }
    },
  };
}
