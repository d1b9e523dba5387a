import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKeys, keyedId, open, sameId, seal } from '../../src/node/index.ts';

const aad = Buffer.from('record "k"');

describe('seal and open (AES-256-GCM)', () => {
  it('opens what it sealed, with a fresh nonce each time', () => {
    const key = randomBytes(32);
    const plaintext = Buffer.from('{"refresh_token":"r"}');
    const a = seal(key, plaintext, aad);
    const b = seal(key, plaintext, aad);
    expect(a.equals(b)).toBe(false);
    expect(open(key, a, aad)?.toString()).toBe(plaintext.toString());
  });

  it('refuses another key, other associated data, a flipped bit, or a truncation', () => {
    const key = randomBytes(32);
    const sealed = seal(key, Buffer.from('secret'), aad);
    expect(open(randomBytes(32), sealed, aad)).toBeUndefined();
    expect(open(key, sealed, Buffer.from('record "other"'))).toBeUndefined();
    const flipped = Buffer.from(sealed);
    flipped[14] = (flipped[14] as number) ^ 1;
    expect(open(key, flipped, aad)).toBeUndefined();
    expect(open(key, sealed.subarray(0, 20), aad)).toBeUndefined();
  });
});

describe('deriveKeys, keyedId, sameId', () => {
  it('derives distinct keys per salt and purpose, and ids that depend on the key', () => {
    const master = randomBytes(32);
    const { enc: a, names } = deriveKeys(master, 'store-a', {
      enc: 'records v1',
      names: 'names v1',
    });
    expect(a).toHaveLength(32);
    expect(a.equals(deriveKeys(master, 'store-b', { enc: 'records v1' }).enc)).toBe(false);
    expect(a.equals(names)).toBe(false);
    expect(keyedId(a, 'https://mcp.example')).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedId(a, 'x')).not.toBe(keyedId(names, 'x'));
    expect(sameId(keyedId(a, 'x'), keyedId(a, 'x'))).toBe(true);
    expect(sameId(keyedId(a, 'x'), keyedId(a, 'y'))).toBe(false);
  });
});
