import { timingSafeEqual } from 'node:crypto';

/**
 * Compares the callback's `state` with the expected one in constant time. Lengths are compared
 * in bytes: the received value is untrusted text, whose byte length may differ from the
 * expected one's even when their lengths in characters agree.
 */
export function sameState(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
