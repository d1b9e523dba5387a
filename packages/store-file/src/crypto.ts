import { deriveKeys as deriveStoreKeys, keyedId, sameId } from '@mcp-oauth/internal/node';

// The construction (HKDF-separated keys, AES-256-GCM with a random 96-bit nonce) is shared
// with store-redis in @mcp-oauth/internal; the labels below are this store's own.
export { open, seal } from '@mcp-oauth/internal/node';

/** Keys derived from the 256-bit store key, one per purpose. */
export interface StoreKeys {
  /** AES-256-GCM key for records and the key check. */
  readonly enc: Buffer;
  /** HMAC-SHA256 key turning record keys into file names. */
  readonly names: Buffer;
}

export function deriveKeys(master: Uint8Array): StoreKeys {
  return deriveStoreKeys(master, 'mcp-oauth/store-file', {
    enc: 'record encryption v1',
    names: 'file names v1',
  });
}

/**
 * The file id of a record key: HMAC-SHA256 under a key derived from the store key, so
 * the folder listing reveals neither the keys nor whether a guessed key (a server URL)
 * is present.
 */
export function fileIdOf(keys: StoreKeys, recordKey: string): string {
  return keyedId(keys.names, recordKey);
}

export const sameFileId = sameId;
