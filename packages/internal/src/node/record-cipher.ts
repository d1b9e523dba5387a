// not imported: see README.md
const { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } =
  process.getBuiltinModule('node:crypto');

// The record encryption of the stores that encrypt (file, Redis): keys separated by HKDF,
// AES-256-GCM with a random 96-bit nonce, associated data binding each record to its place.
// Each store passes its own HKDF labels, so keys are never shared between stores.

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * 256-bit keys, one per purpose, derived from a 256-bit master key by HKDF-SHA256 with the
 * store's own `salt` and each purpose's `info` label: `{ enc: 'record encryption v1' }`.
 */
export function deriveKeys<Purpose extends string>(
  master: Uint8Array,
  salt: string,
  labels: Record<Purpose, string>,
): Record<Purpose, Buffer> {
  const keys = {} as Record<Purpose, Buffer>;
  for (const purpose of Object.keys(labels) as Purpose[]) {
    keys[purpose] = Buffer.from(hkdfSync('sha256', master, salt, labels[purpose], 32));
  }
  return keys;
}

/** HMAC-SHA256 of `text` in hex: an id that reveals neither the text nor a guess of it. */
export function keyedId(key: Uint8Array, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/** Compares two ids in constant time. */
export function sameId(a: string, b: string): boolean {
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
