import type { McpOAuthClient, StoreRecord, TokenInfo, TokenStore } from '@mcp-oauth/core';
import { canonicalResource } from '@mcp-oauth/core/flow';
import { storeKeys } from '@mcp-oauth/core/store';
import type { CliAliasRecord } from './aliases.ts';

export type TokenState = 'valid' | 'expired' | 'refreshable' | 'logged-out';

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

/** The cached discovery record's resource and issuer, read without any request. */
export async function cachedDiscovery(
  store: TokenStore,
  serverUrl: string,
): Promise<{ resource: string; issuer: string } | undefined> {
  const record = await store.get(storeKeys.discovery(canonicalResource(serverUrl)));
  const resource = str(record, 'resource');
  const issuer = str(record, 'issuer');
  return resource && issuer ? { resource, issuer } : undefined;
}

export async function serverState(
  store: TokenStore,
  alias: CliAliasRecord,
  client: McpOAuthClient,
): Promise<ServerState> {
  const info = await client.status();
  const discovery = await cachedDiscovery(store, alias.serverUrl);
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
    resource: info?.resource ?? discovery?.resource ?? canonicalResource(alias.serverUrl),
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
