import type { TokensRecord } from '../store/records.ts';

/** What may be shown about tokens: never the tokens themselves. */
export interface TokenInfo {
  issuer: string;
  resource: string;
  clientId: string;
  tokenType: string;
  scope: string | undefined;
  expiresAt: number | undefined;
  obtainedAt: number;
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
