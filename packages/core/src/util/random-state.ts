import { base64url } from './base64url.ts';

/**
 * The default source of `state` values (and other random strings): 32 random bytes,
 * base64url, as oauth4webapi's `generateRandomState`, without loading oauth4webapi before a
 * flow needs it.
 */
export function randomState(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}
