import type { TokenInfo } from '../client/token-info.ts';

/**
 * Where a server's tokens stand, without a request to any server:
 * - `valid`: an access token that is not past its expiry (or has none stated);
 * - `refreshable`: the access token expired, a refresh token is kept (the next request refreshes);
 * - `login-needed`: no tokens, or expired ones with no refresh token.
 */
export type ServerTokenState = 'valid' | 'refreshable' | 'login-needed';

/** The state of tokens described by `info` at time `now` (ms since the epoch). */
export function serverTokenState(info: TokenInfo | undefined, now: number): ServerTokenState {
  if (info === undefined) return 'login-needed';
  if (info.expiresAt === undefined || info.expiresAt > now) return 'valid';
  return info.hasRefreshToken ? 'refreshable' : 'login-needed';
}
