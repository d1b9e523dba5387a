import type { McpOAuthClient, StoreRecord, TokenInfo, TokenStore } from '@mcp-oauth/core';
import { storeKeys, type TokensRecord } from '@mcp-oauth/core/store';
import type { TokenInput } from './read-token-input.ts';

/**
 * Stores tokens obtained elsewhere for the server `client` is for: discovery names the
 * issuer and resource they are bound to (a token is never sent to another server), and
 * the record is written under the store's lock, as a refresh would write it.
 */
export async function importTokens(
  store: TokenStore,
  client: McpOAuthClient,
  input: TokenInput,
  clientId: string | undefined,
  now = Date.now(),
): Promise<TokenInfo> {
  const discovery = await client.discover();
  const key = storeKeys.tokens(discovery.issuer, discovery.resource);
  const record: TokensRecord = {
    v: 1,
    kind: 'tokens',
    issuer: discovery.issuer,
    resource: discovery.resource,
    // refreshing needs the client the refresh token was issued to (login checks it is given)
    clientId: clientId ?? '',
    accessToken: input.accessToken,
    tokenType: 'Bearer',
    obtainedAt: now,
    ...(input.expiresIn === undefined ? {} : { expiresAt: now + input.expiresIn * 1000 }),
    ...(input.refreshToken ? { refreshToken: input.refreshToken } : {}),
    ...(input.scope ? { scope: input.scope } : {}),
  };
  const lock = await store.lock(key);
  try {
    await store.set(key, JSON.parse(JSON.stringify(record)) as StoreRecord);
  } finally {
    await lock.release();
  }
  return {
    issuer: record.issuer,
    resource: record.resource,
    clientId: record.clientId,
    tokenType: record.tokenType,
    scope: record.scope,
    expiresAt: record.expiresAt,
    obtainedAt: record.obtainedAt,
    hasRefreshToken: record.refreshToken !== undefined,
  };
}
