import { deriveKeys as deriveStoreKeys, keyedId } from '@mcp-oauth/internal/node';

// The construction (HKDF-separated keys, AES-256-GCM with a random 96-bit nonce) is shared
// with store-file in @mcp-oauth/internal; the labels below are this store's own.
export { open, seal } from '@mcp-oauth/internal/node';

/** Keys derived from the application's 256-bit key, one per purpose. */
export interface StoreKeys {
  /** AES-256-GCM key for records, their keys in the index, and the key check. */
  readonly enc: Buffer;
  /** HMAC-SHA256 key turning record keys into Redis key names. */
  readonly ids: Buffer;
}

export function deriveKeys(master: Uint8Array): StoreKeys {
  return deriveStoreKeys(master, 'mcp-oauth/store-redis', {
    enc: 'record encryption v1',
    ids: 'key ids v1',
  });
}

/**
 * The id of a record key in Redis key names: HMAC-SHA256, so that neither a key listing
 * nor `MONITOR` reveals which servers a tenant uses, or whether a guessed one is present.
 */
export function idOf(keys: StoreKeys, recordKey: string): string {
  return keyedId(keys.ids, recordKey);
}
