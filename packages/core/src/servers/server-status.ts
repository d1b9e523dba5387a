import type { TokenInfo } from '../client/token-info.ts';

/**
 * Where a server's tokens stand, without a request to any server:
 * - `valid`: an access token that is not past its expiry (or has none stated);
 * - `refreshable`: the access token expired, a refresh token is kept (the next request refreshes);
 * - `login-needed`: no tokens, or expired ones with no refresh token.
 *
 * @example
 * ```ts
 * import { type ServerTokenState, serverTokenState } from '@mcp-oauth/core/servers';
 *
 * declare const info: Parameters<typeof serverTokenState>[0];
 * const state: ServerTokenState = serverTokenState(info, Date.now());
 * if (state === 'login-needed') process.exitCode = 1;
 * ```
 */
export type ServerTokenState = 'valid' | 'refreshable' | 'login-needed';

/**
 * The state of tokens described by `info` at time `now` (ms since the epoch).
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { serverTokenState } from '@mcp-oauth/core/servers';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * console.log(serverTokenState(await oauth.status(), Date.now())); // 'valid', 'refreshable' or 'login-needed'
 * ```
 */
export function serverTokenState(info: TokenInfo | undefined, now: number): ServerTokenState {
  if (info === undefined) return 'login-needed';
  if (info.expiresAt === undefined || info.expiresAt > now) return 'valid';
  return info.hasRefreshToken ? 'refreshable' : 'login-needed';
}
