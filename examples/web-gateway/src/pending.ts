import { createHash } from 'node:crypto';
import type { PendingAuthorization, StoreRecord, TokenStore } from '@mcp-oauth/core';

/**
 * An authorization in progress, kept server-side in the shared store (never in a cookie), under
 * a key derived from its random `state`, and bound to the web session that started it.
 */
export interface PendingConnection {
  v: 1;
  kind: 'gateway-pending';
  /** Hash of the session id that started the flow (see `sessionTag`). */
  session: string;
  user: string;
  connectionId: string;
  serverUrl: string;
  /** The gateway process that began the flow. */
  startedOn: string;
  createdAt: number;
  /** core's pending value: holds the PKCE verifier, so it never leaves the server. */
  pending: PendingAuthorization;
}

/** How long a user has to finish consent. */
export const PENDING_TTL_MS = 10 * 60_000;

/** When a pending record may be dropped by the store (Redis expiry): after its time is up. */
export function pendingExpiry(key: string, record: StoreRecord): number | undefined {
  return key.startsWith('pending:') && typeof record.createdAt === 'number'
    ? record.createdAt + PENDING_TTL_MS
    : undefined;
}

const keyOf = (state: string) =>
  `pending:${createHash('sha256').update(state, 'utf8').digest('base64url')}`;

export async function savePending(store: TokenStore, record: PendingConnection): Promise<void> {
  await store.set(keyOf(record.pending.state), record as unknown as StoreRecord);
}

export type TakeResult =
  | { ok: true; record: PendingConnection }
  | { ok: false; reason: 'unknown' | 'other_session' | 'expired' };

/**
 * Takes (reads and deletes, under the store's lock, so two callbacks racing cannot both win) the
 * pending authorization named by a callback's `state`, if it belongs to this session. A
 * callback from another session leaves the record in place: it changes nothing.
 */
export async function takePending(
  store: TokenStore,
  state: string,
  session: string,
  now: number,
): Promise<TakeResult> {
  const key = keyOf(state);
  const lock = await store.lock(key, { ttlMs: 10_000, timeoutMs: 10_000 });
  try {
    const record = (await store.get(key)) as unknown as PendingConnection | undefined;
    if (record?.kind !== 'gateway-pending' || record.pending.state !== state)
      return { ok: false, reason: 'unknown' };
    if (record.session !== session) return { ok: false, reason: 'other_session' };
    await store.delete(key);
    if (now - record.createdAt > PENDING_TTL_MS) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  } finally {
    await lock.release();
  }
}
