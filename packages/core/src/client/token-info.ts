import type { TokensRecord } from '../store/records.ts';

/**
 * What may be shown about tokens: never the tokens themselves.
 *
 * @example
 * ```ts
 * import { createOAuthClient, type TokenInfo } from '@mcp-oauth/core';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * const info: TokenInfo | undefined = await oauth.status();
 * if (info?.expiresAt !== undefined && info.expiresAt < Date.now()) console.error('expired');
 * ```
 */
export interface TokenInfo {
  /** The authorization server's issuer identifier. */
  issuer: string;
  /** The canonical resource URI (RFC 8707) the tokens are for. */
  resource: string;
  /** The client id the tokens were issued to. */
  clientId: string;
  /** The token type: `Bearer` or `DPoP`. */
  tokenType: string;
  /** The granted scopes, space-separated, when the server said. */
  scope: string | undefined;
  /** When the access token expires, epoch ms; undefined when the server gave no `expires_in`. */
  expiresAt: number | undefined;
  /** When the tokens were obtained, epoch ms. */
  obtainedAt: number;
  /** Whether a refresh token is held. */
  hasRefreshToken: boolean;
}

export function tokenInfo(tokens: TokensRecord): TokenInfo {
  return {
    issuer: tokens.issuer,
    resource: tokens.resource,
    clientId: tokens.clientId,
    tokenType: tokens.tokenType,
    scope: tokens.scope,
    expiresAt: tokens.expiresAt,
    obtainedAt: tokens.obtainedAt,
    hasRefreshToken: tokens.refreshToken !== undefined,
  };
}

/**
 * {@link TokenInfo} with the access token's time left, as of the call to `status()` (the
 * client's clock; no request is sent).
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * const status = await oauth.status();
 * if (status?.isExpired) console.error('expired; the next request refreshes it');
 * else if (status?.expiresIn !== undefined) console.error(`${status.expiresIn} s left`);
 * ```
 */
export interface TokenStatus extends TokenInfo {
  /** Whole seconds until the access token expires (0 once expired); undefined when the server gave no `expires_in`. */
  expiresIn: number | undefined;
  /** Whether the access token is past its expiry; false when the server gave no `expires_in`. */
  isExpired: boolean;
}

export function tokenStatus(tokens: TokensRecord, now: number): TokenStatus {
  const left = tokens.expiresAt === undefined ? undefined : tokens.expiresAt - now;
  return {
    ...tokenInfo(tokens),
    expiresIn: left === undefined ? undefined : Math.max(0, Math.floor(left / 1000)),
    isExpired: left !== undefined && left <= 0,
  };
}
