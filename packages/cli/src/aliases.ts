import type {
  AliasRecord,
  ConfiguredAuthorizationServer,
  ServerQuirks,
  StoreRecord,
  TokenStore,
} from '@mcp-oauth/core';
import { storeKeys } from '@mcp-oauth/core/store';
import { CliError, EXIT, usageError } from './exit-codes.ts';
import { nearName } from './near-name.ts';

/**
 * What `login` was told, kept with the name so that `token`, `refresh` and `logout`
 * use the same client and quirks. The client secret is kept in the (encrypted) store.
 */
export interface ServerSettings {
  scopes?: string[];
  quirks?: ServerQuirks;
  clientId?: string;
  clientSecret?: string;
  clientMetadataUrl?: string;
  /** --allow-http: plain http for this server's OAuth and MCP URLs, loopback or not. */
  allowHttp?: boolean;
  /** --ca: PEM certificates trusted besides the system's, for both servers. */
  ca?: string[];
  /** --max-response-bytes: the largest response accepted from either server. */
  maxResponseBytes?: number;
  /** DPoP (RFC 9449): 'auto' (default) where both servers take it, 'always', or 'off'. */
  dpop?: 'auto' | 'always' | 'off';
  /** --issuer, --authorization-endpoint, --token-endpoint, ...: endpoints given by hand. */
  authorizationServer?: ConfiguredAuthorizationServer;
}

/** Core's alias record with the CLI's settings for that server. */
export interface CliAliasRecord extends AliasRecord {
  settings?: ServerSettings;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Whether `value` may be a name (letters, digits, ".", "_", "-"; at most 64). */
export function isValidName(value: string): boolean {
  return NAME.test(value);
}

export function assertValidName(name: string): string {
  if (!isValidName(name)) {
    throw usageError(
      `"${name}" is not a valid name: use letters, digits, ".", "_" and "-" (at most 64, starting with a letter or digit).`,
    );
  }
  return name;
}

/** A short default name from a server URL: https://mcp.notion.com/mcp → notion. */
export function defaultName(serverUrl: string): string {
  const url = new URL(serverUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (/^[\d.]+$/.test(host) || host.includes(':') || host === 'localhost') {
    return `${host === '127.0.0.1' || host === '::1' ? 'localhost' : host.replaceAll(':', '-')}${url.port ? `-${url.port}` : ''}`;
  }
  const labels = host.split('.').filter((l) => !['mcp', 'www', 'api', 'app'].includes(l));
  const name =
    (labels.length > 1 ? labels.slice(0, -1) : labels).join('-') || host.split('.')[0] || 'server';
  return name.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
}

export function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

function asAlias(raw: StoreRecord | undefined): CliAliasRecord | undefined {
  if (raw?.kind !== 'alias' || typeof raw.serverUrl !== 'string' || typeof raw.name !== 'string')
    return undefined;
  return raw as unknown as CliAliasRecord;
}

export async function readAlias(
  store: TokenStore,
  name: string,
): Promise<CliAliasRecord | undefined> {
  return asAlias(await store.get(storeKeys.alias(name)));
}

export async function writeAlias(store: TokenStore, record: CliAliasRecord): Promise<void> {
  await store.set(storeKeys.alias(record.name), JSON.parse(JSON.stringify(record)) as StoreRecord);
}

export async function deleteAlias(store: TokenStore, name: string): Promise<boolean> {
  return store.delete(storeKeys.alias(name));
}

export async function listAliases(store: TokenStore): Promise<CliAliasRecord[]> {
  const keys = await store.list('alias:');
  const records = await Promise.all(keys.map(async (key) => asAlias(await store.get(key))));
  return records
    .filter((r): r is CliAliasRecord => r !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Finds the server a command argument names: a name given at login, or a server URL
 * (which may have a name). Unknown names end with "login needed", told as the login to run, or
 * (`forgetting`: logout, clear) as nothing to forget.
 */
export async function resolveServer(
  store: TokenStore,
  nameOrUrl: string,
  storeFlags = '',
  forgetting = false,
): Promise<CliAliasRecord> {
  if (isUrl(nameOrUrl)) {
    // core's protocol code is loaded for URL arguments only
    const { canonicalResource } = await import('@mcp-oauth/core/flow');
    const resource = canonicalResource(nameOrUrl);
    const named = (await listAliases(store)).find(
      (a) => canonicalResource(a.serverUrl) === resource,
    );
    return named ?? { v: 1, kind: 'alias', name: resource, serverUrl: nameOrUrl, createdAt: 0 };
  }
  const alias = await readAlias(store, assertValidName(nameOrUrl));
  if (!alias) {
    const near = nearName(
      nameOrUrl,
      (await listAliases(store)).map((a) => a.name),
    );
    throw new CliError(
      'unknown_name',
      forgetting
        ? `No server is named "${nameOrUrl}" in ${store.description}: there is nothing to forget.${near ? ` Did you mean "${near}"?` : ''} The names: mcp-oauth list${storeFlags ? ` ${storeFlags}` : ''}`
        : `No server is named "${nameOrUrl}" in ${store.description}.${near ? ` Did you mean "${near}"?` : ''} Log in first: mcp-oauth login <url> --name ${nameOrUrl}${storeFlags ? ` ${storeFlags}` : ''}`,
      EXIT.loginNeeded,
    );
  }
  return alias;
}
