import type { StoreRecord, TokenInfo, TokenStore } from '@mcp-oauth/core';
import { storeKeys } from '@mcp-oauth/core/store';
import type { CliAliasRecord } from './aliases.ts';
import type { CommandContext } from './context.ts';
import { plainResource, readStoredTokens, storedTokenInfo } from './stored-tokens.ts';

export type TokenState = 'valid' | 'expired' | 'refreshable' | 'logged-out' | 'unreadable';

/** What may be shown about one server: never a token or a secret. */
export interface ServerState {
  name: string;
  serverUrl: string;
  resource: string;
  state: TokenState;
  issuer: string | undefined;
  clientId: string | undefined;
  clientSource: string | undefined;
  scope: string | undefined;
  tokenType: string | undefined;
  expiresAt: string | undefined;
  obtainedAt: string | undefined;
  hasRefreshToken: boolean;
  quirks: string[];
  store: string;
}

export function tokenState(info: TokenInfo | undefined, now = Date.now()): TokenState {
  if (!info) return 'logged-out';
  if (info.expiresAt === undefined || info.expiresAt > now) return 'valid';
  return info.hasRefreshToken ? 'refreshable' : 'expired';
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const str = (record: StoreRecord | undefined, field: string) =>
  typeof record?.[field] === 'string' ? (record[field] as string) : undefined;

// core's protocol code (discovery, grants) is loaded only where the store alone cannot answer
const canonicalResource = async (serverUrl: string) =>
  plainResource(serverUrl) ?? (await import('@mcp-oauth/core/flow')).canonicalResource(serverUrl);

/** The cached discovery record's resource and issuer, read without any request. */
export async function cachedDiscovery(
  store: TokenStore,
  serverUrl: string,
): Promise<{ resource: string; issuer: string } | undefined> {
  const record = await store.get(storeKeys.discovery(await canonicalResource(serverUrl)));
  const resource = str(record, 'resource');
  const issuer = str(record, 'issuer');
  return resource && issuer ? { resource, issuer } : undefined;
}

/** Redacted information about a server's stored tokens (core's `client.status()`), no request. */
async function tokenStatus(
  ctx: CommandContext,
  store: TokenStore,
  alias: CliAliasRecord,
): Promise<TokenInfo | undefined> {
  const stored = await readStoredTokens(store, alias.serverUrl);
  if (stored) {
    ctx.target ??= { url: alias.serverUrl, name: alias.name, store: ctx.settings.storeFlags };
    return stored.tokens && storedTokenInfo(stored.tokens);
  }
  const { oauthClientFor } = await import('./oauth-client.ts');
  return (await oauthClientFor(ctx, alias)).status();
}

/**
 * A server whose records cannot be read (a damaged record file): shown as `unreadable`, so
 * that one such server does not hide the others (the command warns why); nothing else of it is
 * known.
 */
export async function unreadableState(
  store: TokenStore,
  alias: CliAliasRecord,
): Promise<ServerState> {
  return {
    name: alias.name,
    serverUrl: alias.serverUrl,
    resource: await canonicalResource(alias.serverUrl),
    state: 'unreadable',
    issuer: undefined,
    clientId: undefined,
    clientSource: undefined,
    scope: undefined,
    tokenType: undefined,
    expiresAt: undefined,
    obtainedAt: undefined,
    hasRefreshToken: false,
    quirks: [],
    store: store.description,
  };
}

export async function serverState(
  ctx: CommandContext,
  store: TokenStore,
  alias: CliAliasRecord,
): Promise<ServerState> {
  const info = await tokenStatus(ctx, store, alias);
  // the discovery record is read again only when there are no tokens (their issuer is theirs)
  const discovery = info ? undefined : await cachedDiscovery(store, alias.serverUrl);
  const issuer = info?.issuer ?? discovery?.issuer;
  const clientRecord = issuer ? await store.get(storeKeys.client(issuer)) : undefined;
  const clientId = info?.clientId ?? alias.settings?.clientId ?? str(clientRecord, 'clientId');
  const clientSource = alias.settings?.clientId
    ? 'pre-registered'
    : alias.settings?.clientMetadataUrl && clientId === alias.settings.clientMetadataUrl
      ? 'client-id-metadata-document'
      : str(clientRecord, 'source');
  return {
    name: alias.name,
    serverUrl: alias.serverUrl,
    resource: info?.resource ?? discovery?.resource ?? (await canonicalResource(alias.serverUrl)),
    state: tokenState(info),
    issuer,
    clientId,
    clientSource,
    scope: info?.scope,
    tokenType: info?.tokenType,
    expiresAt: iso(info?.expiresAt),
    obtainedAt: iso(info?.obtainedAt),
    hasRefreshToken: info?.hasRefreshToken ?? false,
    quirks: Object.entries(alias.settings?.quirks ?? {})
      .filter(([, on]) => on)
      .map(([k]) => k),
    store: store.description,
  };
}
