import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { ProtectedResourceMetadata } from '../discovery/protected-resource.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { JsonValue, StoreRecord } from './types.ts';

/** Version of the record formats below. Readers migrate older versions. */
export const RECORD_VERSION = 1;

export interface DiscoveryRecord {
  v: 1;
  kind: 'discovery';
  resource: string;
  resourceMetadataUrl: string;
  resourceMetadata: ProtectedResourceMetadata;
  issuer: string;
  authorizationServerMetadataUrl: string;
  authorizationServerMetadata: AuthorizationServerMetadata;
  discoveredAt: number;
  /**
   * Set when the server published no RFC 9728 metadata and MCP 2025-03-26
   * discovery was used (the server's origin is the authorization server);
   * `resourceMetadataUrl` is then '' and `resourceMetadata` is synthesized.
   */
  legacy?: '2025-03-26';
}

export type ClientSource =
  | 'pre-registered'
  | 'client-id-metadata-document'
  | 'dynamic-registration';

export interface ClientRecord {
  v: 1;
  kind: 'client';
  issuer: string;
  source: ClientSource;
  clientId: string;
  clientSecret?: string;
  clientSecretExpiresAt?: number;
  tokenEndpointAuthMethod: string;
  redirectUris: string[];
  grantTypes: string[];
  registrationAccessToken?: string;
  registrationClientUri?: string;
  registeredAt: number;
}

export interface TokensRecord {
  v: 1;
  kind: 'tokens';
  issuer: string;
  resource: string;
  clientId: string;
  accessToken: string;
  tokenType: string;
  /** Epoch ms; absent when the server gave no expires_in. */
  expiresAt?: number;
  obtainedAt: number;
  refreshToken?: string;
  scope?: string;
  /** Thumbprint of the DPoP key the tokens are bound to, when DPoP is used. */
  dpopJkt?: string;
  /**
   * The validated claims of the OpenID Connect ID token (when `openid` was requested), kept
   * through refreshes. The ID token itself is not kept.
   */
  idTokenClaims?: IdTokenClaims;
}

/** The claims of a validated ID token (OpenID Connect Core §2): `iss`, `sub`, `aud`, `exp`, `iat`, … */
export interface IdTokenClaims {
  sub: string;
  [claim: string]: JsonValue;
}

export interface AliasRecord {
  v: 1;
  kind: 'alias';
  name: string;
  serverUrl: string;
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
