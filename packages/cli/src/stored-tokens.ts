import type { TokenInfo, TokenStore, TokensRecord } from '@mcp-oauth/core';
import { storeKeys } from '@mcp-oauth/core/store';

/**
 * What the store alone says about a server's tokens, read without core's protocol code (the
 * start-up of `token`, `header`, `list`, `show`): `{ tokens }` (undefined: logged out), or
 * undefined when a record is not in the plain current shape, and core's client must judge.
 * It reads what core's `client.status()` reads (the cached discovery record, then the tokens
 * for its issuer and resource) and nothing more.
 */
export async function readStoredTokens(
  store: TokenStore,
  serverUrl: string,
): Promise<{ tokens: TokensRecord | undefined } | undefined> {
  const resource = plainResource(serverUrl);
  if (resource === undefined) return undefined;
  const discovery = await store.get(storeKeys.discovery(resource));
  if (discovery === undefined) return { tokens: undefined };
  if (
    discovery.v !== 1 ||
    discovery.kind !== 'discovery' ||
    typeof discovery.issuer !== 'string' ||
    typeof discovery.resource !== 'string'
  )
    return undefined;
  const tokens = await store.get(storeKeys.tokens(discovery.issuer, discovery.resource));
  if (tokens === undefined) return { tokens: undefined };
  if (
    tokens.v !== 1 ||
    tokens.kind !== 'tokens' ||
    typeof tokens.accessToken !== 'string' ||
    typeof tokens.issuer !== 'string'
  )
    return undefined;
  return { tokens: tokens as unknown as TokensRecord };
}

/**
 * True when core would hand these tokens out as they are: no refresh due yet (core's default
 * skew: a minute before expiry, never earlier than halfway through the token's life).
 */
export function needsNoRefresh(tokens: TokensRecord, now = Date.now()): boolean {
  if (tokens.expiresAt === undefined) return true;
  const life = tokens.expiresAt - tokens.obtainedAt;
  return now < tokens.expiresAt - Math.min(60_000, Math.max(0, life / 2));
}

/** Core's `TokenInfo` for stored tokens: never the tokens themselves. */
export function storedTokenInfo(tokens: TokensRecord): TokenInfo {
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
 * The RFC 8707 resource core keys a server's records by (core's `canonicalResource`, whose
 * module would load core's protocol code). A URL core refuses is undefined here: core's own
 * client then reports it.
 */
export function plainResource(serverUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return undefined;
  }
  if (url.username || url.password || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    return undefined;
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}
