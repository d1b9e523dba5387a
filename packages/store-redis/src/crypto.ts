import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

// The same construction as @mcp-oauth/store-file (HKDF-separated keys, AES-256-GCM with a
// random 96-bit nonce, associated data binding the context), with this store's own labels.

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Keys derived from the application's 256-bit key, one per purpose. */
export interface StoreKeys {
  /** AES-256-GCM key for records, their keys in the index, and the key check. */
  readonly enc: Buffer;
  /** HMAC-SHA256 key turning record keys into Redis key names. */
  readonly ids: Buffer;
}

export function deriveKeys(master: Uint8Array): StoreKeys {
  const derive = (info: string) =>
    Buffer.from(hkdfSync('sha256', master, 'mcp-oauth/store-redis', info, 32));
  return { enc: derive('record encryption v1'), ids: derive('key ids v1') };
}

/**
 * The id of a record key in Redis key names: HMAC-SHA256, so that neither a key listing
 * nor `MONITOR` reveals which servers a tenant uses, or whether a guessed one is present.
 */
export function idOf(keys: StoreKeys, recordKey: string): string {
  return createHmac('sha256', keys.ids).update(recordKey, 'utf8').digest('hex');
}

/** AES-256-GCM with a fresh random nonce: returns nonce ‖ ciphertext ‖ tag. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Opens what `seal` produced; undefined when authentication fails. */
export function open(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer | undefined {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}
