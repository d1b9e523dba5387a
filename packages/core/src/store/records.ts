import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { ProtectedResourceMetadata } from '../discovery/protected-resource.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { JsonValue, StoreRecord } from './types.ts';

/** Version of the record formats below. Readers migrate older versions. */
export const RECORD_VERSION = 1;

/**
 * What discovery found for one MCP server, stored under `discovery:<resource>`: its protected
 * resource metadata (RFC 9728) and its authorization server's metadata (RFC 8414).
 *
 * @example
 * ```ts
 * import { createOAuthClient, type DiscoveryRecord } from '@mcp-oauth/core';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * const found: DiscoveryRecord = await oauth.discover();
 * console.log(found.issuer, found.authorizationServerMetadata.token_endpoint);
 * ```
 */
export interface DiscoveryRecord {
  /** The record format version. */
  v: 1;
  /** Always `discovery`. */
  kind: 'discovery';
  /** The canonical resource URI of the MCP server (RFC 8707). */
  resource: string;
  /** Where the protected resource metadata was read. */
  resourceMetadataUrl: string;
  /** The protected resource metadata (RFC 9728 §2). */
  resourceMetadata: ProtectedResourceMetadata;
  /** The issuer identifier of the authorization server chosen. */
  issuer: string;
  /** Where the authorization server metadata was read. */
  authorizationServerMetadataUrl: string;
  /** The authorization server metadata (RFC 8414 §2). */
  authorizationServerMetadata: AuthorizationServerMetadata;
  /** When discovery ran, epoch ms. */
  discoveredAt: number;
  /**
   * Set when the server published no RFC 9728 metadata and MCP 2025-03-26
   * discovery was used (the server's origin is the authorization server);
   * `resourceMetadataUrl` is then '' and `resourceMetadata` is synthesized.
   */
  legacy?: '2025-03-26';
  /**
   * Set when the authorization server metadata was made of the `authorizationServer` option
   * (discovery found none, or the option overrides it); `authorizationServerMetadataUrl` is
   * then '', and so is `resourceMetadataUrl` when the resource published no metadata either.
   */
  configured?: true;
}

/**
 * How a client id was obtained: configured by the application, a Client ID Metadata Document
 * URL used as the client id, or dynamic registration (RFC 7591).
 *
 * @example
 * ```ts
 * import type { ClientRecord, ClientSource } from '@mcp-oauth/core/store';
 *
 * declare const record: ClientRecord;
 * const source: ClientSource = record.source;
 * const canManage = source === 'dynamic-registration' && record.registrationClientUri !== undefined;
 * ```
 */
export type ClientSource =
  | 'pre-registered'
  | 'client-id-metadata-document'
  | 'dynamic-registration';

/**
 * A client registration for one authorization server, stored under `client:<issuer>`.
 * Holds secrets (`clientSecret`, `registrationAccessToken`): stores must protect it.
 *
 * @example
 * ```ts
 * import { type ClientRecord, storeKeys, type TokenStore } from '@mcp-oauth/core/store';
 *
 * declare const store: TokenStore;
 * const record = (await store.get(storeKeys.client('https://as.example.com'))) as ClientRecord | undefined;
 * if (record) console.log(`${record.clientId} (${record.source})`);
 * ```
 */
export interface ClientRecord {
  /** The record format version. */
  v: 1;
  /** Always `client`. */
  kind: 'client';
  /** The issuer the client belongs to; it is never sent to another. */
  issuer: string;
  /** `pre-registered`, `client-id-metadata-document` or `dynamic-registration`. */
  source: ClientSource;
  /** The client id. */
  clientId: string;
  /** The client secret, for confidential clients. */
  clientSecret?: string;
  /** RFC 7591 `client_secret_expires_at`, in seconds since the epoch; 0 means never. */
  clientSecretExpiresAt?: number;
  /** How the client authenticates at the token endpoint (`none`, `client_secret_basic`, ...). */
  tokenEndpointAuthMethod: string;
  /** The redirect URIs registered. */
  redirectUris: string[];
  /** The grant types registered. */
  grantTypes: string[];
  /** RFC 7592 `registration_access_token`, to read, update or delete the registration. */
  registrationAccessToken?: string;
  /** RFC 7592 `registration_client_uri`: the client configuration endpoint. */
  registrationClientUri?: string;
  /** When the client was registered (or first used), epoch ms. */
  registeredAt: number;
  /**
   * The dynamic registration this one replaced because it could not serve a login (another grant
   * type or redirect URI was needed): the tokens it was issued may still be held, and are
   * refreshed and revoked with it until a login with this one replaces them.
   */
  previous?: Omit<ClientRecord, 'previous'>;
}

/**
 * Tokens for one (issuer, resource) pair, stored under `tokens:<issuer> <resource>`. Holds the
 * tokens themselves: stores must protect it. Applications read {@link TokenInfo} instead.
 *
 * @example
 * ```ts
 * import { storeKeys, type TokensRecord, type TokenStore } from '@mcp-oauth/core/store';
 *
 * declare const store: TokenStore;
 * const key = storeKeys.tokens('https://as.example.com', 'https://mcp.example.com/mcp');
 * const tokens = (await store.get(key)) as TokensRecord | undefined;
 * const expired = tokens?.expiresAt !== undefined && tokens.expiresAt <= Date.now();
 * ```
 */
export interface TokensRecord {
  /** The record format version. */
  v: 1;
  /** Always `tokens`. */
  kind: 'tokens';
  /** The issuer that issued the tokens. */
  issuer: string;
  /** The canonical resource URI (RFC 8707) the tokens are for. */
  resource: string;
  /** The client id the tokens were issued to. */
  clientId: string;
  /** The access token. A secret. */
  accessToken: string;
  /** `Bearer` or `DPoP`. */
  tokenType: string;
  /** Epoch ms; absent when the server gave no expires_in. */
  expiresAt?: number;
  /** When the tokens were obtained, epoch ms. */
  obtainedAt: number;
  /** The refresh token, when the server issued one. A secret. */
  refreshToken?: string;
  /** The granted scopes, space-separated. */
  scope?: string;
  /** Thumbprint of the DPoP key the tokens are bound to, when DPoP is used. */
  dpopJkt?: string;
  /**
   * The validated claims of the OpenID Connect ID token (when `openid` was requested), kept
   * through refreshes. The ID token itself is not kept.
   */
  idTokenClaims?: IdTokenClaims;
}

/**
 * The claims of a validated ID token (OpenID Connect Core §2): `iss`, `sub`, `aud`, `exp`, `iat`, …
 *
 * @example
 * ```ts
 * import { createOAuthClient, type IdTokenClaims } from '@mcp-oauth/core';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', scopes: ['openid'] });
 * const claims: IdTokenClaims | undefined = (await oauth.identity())?.claims;
 * console.log(claims?.sub, claims?.auth_time);
 * ```
 */
export interface IdTokenClaims {
  /** The subject: the user's stable identifier at the issuer. */
  sub: string;
  [claim: string]: JsonValue;
}

/**
 * A user-facing name for an MCP server URL, stored under `alias:<name>` (the CLI's server names).
 *
 * @example
 * ```ts
 * import { type AliasRecord, memoryStore, storeKeys } from '@mcp-oauth/core/store';
 *
 * const store = memoryStore();
 * const alias: AliasRecord = { v: 1, kind: 'alias', name: 'work', serverUrl: 'https://mcp.example.com/mcp', createdAt: Date.now() };
 * await store.set(storeKeys.alias(alias.name), { ...alias });
 * ```
 */
export interface AliasRecord {
  /** The record format version. */
  v: 1;
  /** Always `alias`. */
  kind: 'alias';
  /** The name. */
  name: string;
  /** The MCP server URL it stands for. */
  serverUrl: string;
  /** When the name was given, epoch ms. */
  createdAt: number;
}

/** The issuer a pre-registered client id was first used with (MCP: credentials stay with their issuer). */
export interface BindingRecord {
  v: 1;
  kind: 'binding';
  clientId: string;
  issuer: string;
  boundAt: number;
}

/** A DPoP key pair (RFC 9449), kept so bound tokens outlive the process and are shared by processes. */
export interface DpopKeyRecord {
  v: 1;
  kind: 'dpop_key';
  issuer: string;
  resource: string;
  alg: string;
  jkt: string;
  publicJwk: { [key: string]: JsonValue };
  privateJwk: { [key: string]: JsonValue };
  createdAt: number;
}

export type AnyRecord =
  | DiscoveryRecord
  | ClientRecord
  | TokensRecord
  | AliasRecord
  | BindingRecord
  | DpopKeyRecord;

/** Validates a record read from a store; a record of another kind or a garbled one is `store_corrupt`. */
export function readRecord<K extends AnyRecord['kind']>(
  raw: StoreRecord | undefined,
  kind: K,
  key: string,
): Extract<AnyRecord, { kind: K }> | undefined {
  if (raw === undefined) return undefined;
  const migrated = migrate(raw);
  if (migrated.kind !== kind || migrated.v !== RECORD_VERSION) {
    throw new McpOAuthError(
      'store_corrupt',
      `The store record "${key}" is not a valid ${kind} record (version ${String(raw.v)}).`,
      {
        details: { key },
      },
    );
  }
  if (
    kind === 'tokens' &&
    (typeof migrated.accessToken !== 'string' || typeof migrated.issuer !== 'string')
  ) {
    throw new McpOAuthError(
      'store_corrupt',
      `The store record "${key}" is missing its token fields.`,
      { details: { key } },
    );
  }
  return migrated as unknown as Extract<AnyRecord, { kind: K }>;
}

/** The migration path: each older format version is rewritten to the current one here. */
function migrate(raw: StoreRecord): StoreRecord {
  return raw;
}

export function toStoreRecord(record: AnyRecord): StoreRecord {
  return JSON.parse(JSON.stringify(record)) as StoreRecord;
}
