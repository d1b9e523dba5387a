import { randomUUID } from 'node:crypto';
import {
  type LockOptions,
  McpOAuthError,
  resolveLockOptions,
  type StoreLock,
} from '@mcp-oauth/core/store';
import { backoffDelay, sleep } from '@mcp-oauth/internal';
import type { KvClient } from './kv.ts';

/** Polls of a held lease: from 25 ms growing to 250 ms, jittered. */
const POLL = { minDelayMs: 25, maxDelayMs: 250 };

/** The lease record kept at `<prefix>/<ns>/_locks/<encoded key>`. */
interface Lease {
  owner: string;
  expiresAt: number;
}

function leaseOf(data: Record<string, unknown>): Lease | undefined {
  const { owner, expiresAt } = data;
  return typeof owner === 'string' && typeof expiresAt === 'number'
    ? { owner, expiresAt }
    : undefined;
}

/**
 * A check-and-set lease. Acquire: write {owner, expiresAt} with `cas=0` when no
 * lease exists, or with `cas=<its version>` when the current one expired or was
 * released; losing the race is a CAS mismatch, so exactly one writer wins. Release:
 * soft-delete exactly the version we wrote, which frees the lease only if it is
 * still ours (a successor's newer version is untouched).
 */
export async function acquireLease(
  kv: KvClient,
  key: string,
  rel: string,
  options: LockOptions = {},
): Promise<StoreLock> {
  const { ttlMs, timeoutMs } = resolveLockOptions(options);
  const signal = options.signal;
  const owner = randomUUID();
  const deadline = Date.now() + timeoutMs;

  for (let polls = 0; ; ) {
    signal?.throwIfAborted();
    const current = await kv.read(rel);
    const now = Date.now();
    let cas: number | undefined;
    let heldUntil = now;
    if (current.state === 'absent') cas = 0;
    else if (current.state === 'deleted') cas = current.version;
    else {
      const lease = leaseOf(current.data);
      if (!lease || lease.expiresAt <= now) cas = current.version;
      else heldUntil = lease.expiresAt;
    }

    if (cas !== undefined) {
      signal?.throwIfAborted();
      const expiresAt = Date.now() + ttlMs;
      const written = await kv.write(rel, { owner, expiresAt }, cas);
      if (written.ok) return leaseHandle(kv, key, rel, written.version, expiresAt);
      // Someone else won this round: look again at once (the deadline still applies).
    }

    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new McpOAuthError(
        'store_lock_timeout',
        `Waited ${timeoutMs} ms for the Vault lease on "${key}", held by another process until ${new Date(heldUntil).toISOString()}. If its holder crashed, the lease frees itself then; otherwise raise timeoutMs.`,
        { details: { key, timeoutMs } },
      );
    }
    if (cas !== undefined) continue;
    const untilExpiry = Math.max(0, heldUntil - Date.now()) + 1;
    await sleep(Math.min(backoffDelay(++polls, POLL), remaining, untilExpiry), signal);
  }
}

function leaseHandle(
  kv: KvClient,
  key: string,
  rel: string,
  version: number,
  expiresAt: number,
): StoreLock {
  let released = false;
  return {
    key,
    expiresAt,
    async release() {
      if (released) return;
      released = true;
      try {
        await kv.deleteVersions(rel, [version]);
      } catch (error) {
        // An expired lease needs no release; a live one must not be silently kept.
        if (Date.now() < expiresAt) throw error;
      }
    },
  };
}
