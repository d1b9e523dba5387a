import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

/** Keys derived from the 256-bit store key, one per purpose. */
export interface StoreKeys {
  /** AES-256-GCM key for records and the key check. */
  readonly enc: Buffer;
  /** HMAC-SHA256 key turning record keys into file names. */
  readonly names: Buffer;
}

export function deriveKeys(master: Uint8Array): StoreKeys {
  const derive = (info: string) =>
    Buffer.from(hkdfSync('sha256', master, 'mcp-oauth/store-file', info, 32));
  return { enc: derive('record encryption v1'), names: derive('file names v1') };
}

/**
 * The file id of a record key: HMAC-SHA256 under a key derived from the store key, so
 * the folder listing reveals neither the keys nor whether a guessed key (a server URL)
 * is present.
 */
export function fileIdOf(keys: StoreKeys, recordKey: string): string {
  return createHmac('sha256', keys.names).update(recordKey, 'utf8').digest('hex');
}

export function sameFileId(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** AES-256-GCM with a fresh random 96-bit nonce: returns nonce ‖ ciphertext ‖ tag. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Opens what `seal` produced; returns undefined when authentication fails. */
export function open(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer | undefined {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) return undefined;
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return undefined;
  }
}
