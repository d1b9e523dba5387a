import { randomBytes } from 'node:crypto';
import {
  type LockOptions,
  McpOAuthError,
  resolveLockOptions,
  type StoreLock,
} from '@mcp-oauth/core/store';
import { sleep } from '@mcp-oauth/internal';
import type { Connection } from './connection.ts';
import { ACQUIRE, EXTEND, RELEASE } from './scripts.ts';

/**
 * The lock `redisStore().lock()` returns: a lease in Redis that only its holder can end or extend.
 *
 * @example
 * ```ts
 * import { redisStore } from '@mcp-oauth/store-redis';
 *
 * const store = redisStore({ encryptionKey: process.env.MCP_OAUTH_STORE_KEY ?? '' });
 * const lock = await store.lock('tokens/https://mcp.example.com/mcp', { ttlMs: 10_000 });
 * try {
 *   // ... a long job: keep the lease, or stop if it was lost
 *   if (!(await lock.extend())) throw new Error('lock lost: re-read before writing');
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export interface RedisStoreLock extends StoreLock {
  /**
   * Epoch ms (this process's clock) before which the lease is surely still ours: taken
   * before the acquiring command was sent, so it errs early. Moves on `extend`.
   */
  readonly expiresAt: number;
  /**
   * Extends the lease to `ttlMs` (default: the ttl it was taken with) from now, if this
   * holder still owns it. Returns false when it had expired and possibly passed on: the
   * holder must then stop and re-read before writing.
   */
  extend(ttlMs?: number): Promise<boolean>;
}

const FIRST_WAIT_MS = 5;
const MAX_WAIT_MS = 100;

/**
 * Acquires the lock of one record key: `SET lock token NX PX ttl`. A waiter sleeps with
 * exponential backoff and full jitter (5 ms growing to 100 ms, never past the holder's
 * remaining lease or our deadline), so many waiters neither spin nor wake in step.
 */
export async function acquireLock(
  conn: Connection,
  lockKey: string,
  key: string,
  options: LockOptions = {},
): Promise<RedisStoreLock> {
  const { ttlMs, timeoutMs } = resolveLockOptions(options);
  const { signal } = options;
  const token = randomBytes(16).toString('hex');
  const ttl = String(Math.ceil(ttlMs));
  const deadline = Date.now() + timeoutMs;
  let ceiling = FIRST_WAIT_MS;

  for (;;) {
    signal?.throwIfAborted();
    const sentAt = Date.now();
    let answer: unknown;
    try {
      answer = await conn.run(ACQUIRE, [lockKey], [token, ttl], 'lock', key);
    } catch (error) {
      // A call that timed out may have taken the lock on the server: give it back.
      conn.run(RELEASE, [lockKey], [token], 'release', key).catch(() => {});
      throw error;
    }
    signal?.throwIfAborted();
    const pttl = Number(answer);
    if (pttl === -3) return handle(conn, lockKey, key, token, sentAt + ttlMs, ttlMs);
    if (pttl === -2) continue; // expired between SET and PTTL: try again at once

    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new McpOAuthError(
        'store_lock_timeout',
        `Waited ${timeoutMs} ms for the lock on "${key}" in Redis; another process holds it${pttl > 0 ? ` for ${pttl} ms more` : ''}. If its holder crashed, the lease ends by itself after its ttlMs; otherwise raise the lock's timeoutMs.`,
        { details: { key, timeoutMs, option: 'timeoutMs' } },
      );
    }
    const untilExpiry = pttl > 0 ? pttl + 1 : MAX_WAIT_MS;
    await sleep(Math.min(remaining, untilExpiry, Math.max(1, Math.random() * ceiling)), signal);
    ceiling = Math.min(ceiling * 2, MAX_WAIT_MS);
  }
}

function handle(
  conn: Connection,
  lockKey: string,
  key: string,
  token: string,
  expiresAt: number,
  ttlMs: number,
): RedisStoreLock {
  let released = false;
  let until = expiresAt;
  return {
    key,
    get expiresAt() {
      return until;
    },
    async extend(extendMs = ttlMs) {
      if (released) return false;
      const sentAt = Date.now();
      const ms = String(Math.ceil(extendMs));
      const extended = Number(await conn.run(EXTEND, [lockKey], [token, ms], 'lock', key)) === 1;
      if (extended) until = sentAt + extendMs;
      return extended;
    },
    async release() {
      if (released) return;
      try {
        await conn.run(RELEASE, [lockKey], [token], 'release', key);
        released = true;
      } catch (error) {
        // An expired lease needs no release; a live one that could not be freed must be said,
        // and a later call tries again (Redis may be back by then).
        if (Date.now() >= until) {
          released = true;
          return;
        }
        throw error;
      }
    },
  };
}
