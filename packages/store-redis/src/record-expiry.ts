import type { StoreRecord } from '@mcp-oauth/core/store';

/** A record never expires in Redis sooner than this after it was written. */
export const MIN_RECORD_TTL_MS = 60_000;

/**
 * The default `recordExpiry`: a `tokens` record lives as long as its refresh token, when
 * the record says how long that is (`refreshTokenExpiresAt`, epoch ms). Every other
 * record, and tokens whose refresh token lifetime is unknown, never expire.
 */
export function refreshTokenExpiry(_key: string, record: StoreRecord): number | undefined {
  if (record.kind !== 'tokens') return undefined;
  const at = record.refreshTokenExpiresAt;
  return typeof at === 'number' && Number.isFinite(at) ? at : undefined;
}

/** The `PXAT` to write, or undefined for a record without expiry. */
export function expiryToWrite(at: number | undefined, now: number): number | undefined {
  if (at === undefined || !Number.isFinite(at)) return undefined;
  return Math.ceil(Math.max(at, now + MIN_RECORD_TTL_MS));
}
