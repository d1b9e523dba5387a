import { createHash } from 'node:crypto';

/**
 * Names of the keychain entries ("accounts" under one service) that make up a namespace:
 *
 *   <ns>/r/<key>              a record's manifest (or `<ns>/r/#<sha256>` for keys that are
 *                             long or not printable ASCII: every platform accepts these)
 *   <ns>/c/<gen>/<i>          chunk i of one generation of a large record
 *   <ns>/index                the list of keys (itself stored like a record)
 *   <ns>/unlock-check         written to tell a locked keyring from an empty one
 *   <ns>/probe/<random>       written, read and deleted by `probe()`
 *
 * `<ns>` is the namespace, percent-encoded, so it never contains `/`.
 */
export interface Accounts {
  record(key: string): string;
  chunk(generation: string, index: number): string;
  readonly index: string;
  readonly unlockCheck: string;
  readonly probe: string;
}

const LITERAL_KEY = /^[\x20-\x7e]{1,200}$/;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function accountsFor(namespace: string): Accounts {
  const ns = encodeURIComponent(namespace);
  return {
    record(key) {
      // Literal keys never start with '#', hashed ones always do: no collisions.
      const part = LITERAL_KEY.test(key) && !key.startsWith('#') ? key : `#${sha256Hex(key)}`;
      return `${ns}/r/${part}`;
    },
    chunk(generation, index) {
      return `${ns}/c/${generation}/${index}`;
    },
    index: `${ns}/index`,
    unlockCheck: `${ns}/unlock-check`,
    probe: `${ns}/probe`,
  };
}
