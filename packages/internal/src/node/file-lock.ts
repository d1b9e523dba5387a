import { lstat, open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { backoffDelay } from '../backoff.ts';
import { sleep } from '../sleep.ts';
import { createExclusive } from './atomic-write.ts';

const { randomBytes } = process.getBuiltinModule('node:crypto'); // not imported: see README.md
const { constants } = process.getBuiltinModule('node:fs'); // not imported: see README.md

/**
 * The content of a lock file: who holds it and until when. No secret.
 *
 * Format history: store-file wrote this shape from the start; store-keychain wrote
 * `{ token, pid, host, expiresAt }` (no `v`, no `acquiredAt`) up to 0.1. Both read the
 * other's files, so processes of either version may share one lock folder during an
 * upgrade (store-keychain's README: "Upgrading from 0.1").
 */
interface LockOwner {
  v: 1;
  token: string;
  pid: number;
  host: string;
  acquiredAt: number;
  expiresAt: number;
}

/** Who holds a lock, as its file says. */
export interface FileLockHolder {
  readonly pid: number;
  readonly host: string;
  readonly expiresAt: number;
}

/** Why a lock was not acquired or released: waited too long, or the file system failed. */
export type FileLockFailure = 'timeout' | 'write' | 'read';

/** The error `acquireFileLock` and `release()` throw; each store turns it into its own words. */
export class FileLockError extends Error {
  override readonly name = 'FileLockError';
  /** On a timeout: the holder, when its file names one. */
  readonly holder: FileLockHolder | undefined;
  /** On a timeout: when the lock that was in the way expires. */
  readonly expiresAt: number | undefined;

  constructor(
    readonly reason: FileLockFailure,
    /** The lock file. */
    readonly path: string,
    details: { cause?: unknown; holder?: FileLockHolder | undefined; expiresAt?: number } = {},
  ) {
    super(
      reason === 'timeout'
        ? `Timed out waiting for the lock ${path}`
        : `Could not ${reason} the lock ${path}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.holder = details.holder;
    this.expiresAt = details.expiresAt;
  }
}

/** A stale lock that `acquireFileLock` removed before taking the lock. */
export interface FileLockTakeover {
  readonly path: string;
  /** `holder_gone`: its process on this host no longer runs; `unreadable`: damaged and expired. */
  readonly reason: 'holder_gone' | 'unreadable';
  readonly holderPid?: number;
}

export interface FileLockRequest {
  /** The folder of lock files. It must exist (and be private to the user). */
  dir: string;
  /** A file-system-safe name: the lock is `<name>.lock`, its removal guard `<name>.guard`. */
  name: string;
  /** How long the lock holds unless released. Positive. */
  ttlMs: number;
  /** How long to wait for another holder. 0 tries once. */
  timeoutMs: number;
  /** Stops the waiting: the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * Reads a lock file, undefined when absent. Default: without following a link. A store
   * that checks owner and mode of what it reads passes its own; its errors pass through.
   */
  readLockFile?: (path: string) => Promise<Uint8Array | undefined>;
  /** Told of each stale lock removed (for a warning). */
  onTakeover?: (takeover: FileLockTakeover) => void;
}

/** A held lock. `release()` removes only this holder's file, never a successor's. */
export interface HeldFileLock {
  readonly path: string;
  readonly expiresAt: number;
  release(): Promise<void>;
}

/** A guard file lives for a few syscalls; one older than this was left by a dead process. */
const GUARD_STALE_MS = 2_000;
/** How long removing a stale lock may wait for the guard. */
const GUARD_WAIT_MS = 10_000;
/**
 * A lock file that cannot be parsed counts as held until its modification time plus this
 * (the default lock ttl of @mcp-oauth/core): it may be a newer version's format, which
 * must not be taken over while its holder may still be working.
 */
const UNREADABLE_EXPIRY_MS = 30_000;
/** Waits between attempts grow from 5 ms to 100 ms, with jitter. */
const WAIT = { minDelayMs: 5, maxDelayMs: 100 };
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const HOST = hostname();

type Observed =
  | { kind: 'absent' }
  | { kind: 'owner'; owner: LockOwner }
  | { kind: 'unreadable'; expiresAt: number };

function isOwner(value: unknown): value is LockOwner {
  const v = value as Partial<LockOwner> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.token === 'string' &&
    typeof v.pid === 'number' &&
    typeof v.host === 'string' &&
    typeof v.expiresAt === 'number'
  );
}

async function readWithoutFollowing(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path, { flag: constants.O_RDONLY | O_NOFOLLOW });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FileLockError('read', path, { cause: error });
  }
}

async function observe(path: string, request: FileLockRequest): Promise<Observed> {
  const bytes = await (request.readLockFile ?? readWithoutFollowing)(path);
  if (!bytes) return { kind: 'absent' };
  try {
    const owner: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    if (isOwner(owner)) return { kind: 'owner', owner };
  } catch {}
  // Not a lock file we can read (link creation makes ours complete): expire it by its age.
  const stats = await lstat(path).catch(() => undefined);
  return { kind: 'unreadable', expiresAt: (stats?.mtimeMs ?? 0) + UNREADABLE_EXPIRY_MS };
}

function sameOwner(a: Observed, b: Observed): boolean {
  if (a.kind === 'owner' && b.kind === 'owner') return a.owner.token === b.owner.token;
  return a.kind === 'unreadable' && b.kind === 'unreadable' && a.expiresAt === b.expiresAt;
}

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** A holder on this host whose process no longer runs (SIGKILL, crash): its lock is stale. */
function holderIsGone(seen: Observed): boolean {
  return (
    seen.kind === 'owner' &&
    seen.owner.host === HOST &&
    seen.owner.pid !== process.pid &&
    processIsGone(seen.owner.pid)
  );
}

/**
 * Runs `fn` holding the lock's guard file. Every removal of a lock file happens under the
 * guard after re-reading its owner, so a takeover or an expired holder's release can
 * never delete a lock that a newer holder has just created.
 */
async function withGuard<T>(dir: string, name: string, fn: () => Promise<T>): Promise<T> {
  const guard = join(dir, `${name}.guard`);
  const deadline = Date.now() + GUARD_WAIT_MS;
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
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stats = await lstat(guard).catch(() => undefined);
    if (stats && Date.now() - stats.mtimeMs > GUARD_STALE_MS) await unlink(guard).catch(() => {});
    if (Date.now() > deadline) throw new Error(`the guard ${guard} stayed taken`);
    await sleep(2 + Math.random() * 3);
  }
  try {
    return await fn();
  } finally {
    await unlink(guard).catch(() => {});
  }
}

/**
 * Acquires an exclusive, expiring lock shared by every process of the user on this machine.
 *
 * The lock file is created complete and atomically (written aside, fsynced, hard-linked
 * into place, which fails if the name exists) and names its holder and expiry. A lock past
 * its expiry, or whose holder process on this host is gone (SIGKILL), is removed under a
 * guard after re-reading it, then contended for again. A waiter sleeps with jittered
 * backoff, never past the holder's expiry or its own deadline; then it throws a
 * `FileLockError` with reason `timeout` naming the holder.
 */
export async function acquireFileLock(request: FileLockRequest): Promise<HeldFileLock> {
  const { dir, name, ttlMs, timeoutMs, signal } = request;
  const path = join(dir, `${name}.lock`);
  const token = randomBytes(16).toString('hex');
  const deadline = Date.now() + timeoutMs;

  for (let attempt = 1; ; attempt++) {
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
    let created: boolean;
    try {
      created = await createExclusive(dir, `${name}.lock`, Buffer.from(JSON.stringify(owner)));
    } catch (error) {
      throw new FileLockError('write', path, { cause: error });
    }
    if (created) return held(request, path, owner);

    const seen = await observe(path, request);
    if (seen.kind === 'absent') continue;
    const expiresAt = seen.kind === 'owner' ? seen.owner.expiresAt : seen.expiresAt;
    const gone = holderIsGone(seen);
    if (gone || expiresAt <= Date.now()) {
      const removed = await withGuard(dir, name, async () => {
        const again = await observe(path, request);
        if (!sameOwner(seen, again)) return false;
        await unlink(path);
        return true;
      }).catch(() => false);
      if (removed && (gone || seen.kind === 'unreadable')) {
        request.onTakeover?.({
          path,
          reason: gone ? 'holder_gone' : 'unreadable',
          ...(seen.kind === 'owner' ? { holderPid: seen.owner.pid } : {}),
        });
      }
      continue;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      const holder =
        seen.kind === 'owner'
          ? { pid: seen.owner.pid, host: seen.owner.host, expiresAt: seen.owner.expiresAt }
          : undefined;
      throw new FileLockError('timeout', path, { holder, expiresAt });
    }
    const untilExpiry = Math.max(1, expiresAt - Date.now() + 1);
    await sleep(Math.min(remaining, untilExpiry, backoffDelay(attempt, WAIT)), signal);
  }
}

function held(request: FileLockRequest, path: string, owner: LockOwner): HeldFileLock {
  let released = false;
  return {
    path,
    expiresAt: owner.expiresAt,
    async release() {
      if (released) return;
      released = true;
      try {
        await withGuard(request.dir, request.name, async () => {
          const seen = await observe(path, request);
          // Only our own lock file: after expiry a new holder's file stays untouched.
          if (seen.kind === 'owner' && seen.owner.token === owner.token) await unlink(path);
        });
      } catch (error) {
        // An expired lock needs no release; a live one that could not be freed must be said.
        if (Date.now() >= owner.expiresAt) return;
        throw new FileLockError('write', path, { cause: error });
      }
    },
  };
}
