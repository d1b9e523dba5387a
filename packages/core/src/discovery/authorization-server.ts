import { McpOAuthError } from '../errors/error.ts';
import type { OptionNamedByErrors } from '../errors/options.ts';
import { fetchMetadata } from '../http/fetch-metadata.ts';
import { safeUrl } from '../http/guarded-fetch.ts';
import type { FetchLike } from '../http/types.ts';
import { isStringArray } from './protected-resource.ts';
import type { ServerQuirks } from './quirks.ts';

/**
 * Authorization server metadata (RFC 8414 §2, or OpenID Connect Discovery), as validated by
 * {@link fetchAuthorizationServerMetadata}. Other members are kept as the server sent them.
 *
 * @example
 * ```ts
 * import { type AuthorizationServerMetadata, fetchAuthorizationServerMetadata } from '@mcp-oauth/core/flow';
 *
 * const { metadata } = await fetchAuthorizationServerMetadata(fetch, 'https://as.example.com', { maxBytes: 256 * 1024 });
 * const as: AuthorizationServerMetadata = metadata;
 * const deviceFlow = as.grant_types_supported?.includes('urn:ietf:params:oauth:grant-type:device_code') ?? false;
 * ```
 */
export interface AuthorizationServerMetadata {
  /** The issuer identifier; equal to the one discovery started from (RFC 8414 §3.3). */
  issuer: string;
  /** The authorization endpoint (RFC 6749 §3.1). */
  authorization_endpoint?: string;
  /** The token endpoint (RFC 6749 §3.2). */
  token_endpoint?: string;
  /** The dynamic client registration endpoint (RFC 7591 §3). */
  registration_endpoint?: string;
  /** The revocation endpoint (RFC 7009 §2). */
  revocation_endpoint?: string;
  /** The introspection endpoint (RFC 7662 §2). */
  introspection_endpoint?: string;
  /** The device authorization endpoint (RFC 8628 §4). */
  device_authorization_endpoint?: string;
  /** The server's JSON Web Key Set, to validate ID tokens. */
  jwks_uri?: string;
  /** Scopes the server supports. */
  scopes_supported?: string[];
  /** `response_type` values the server supports (`code`). */
  response_types_supported?: string[];
  /** Grant types the server supports; default (absent) per RFC 8414: `authorization_code` and `implicit`. */
  grant_types_supported?: string[];
  /** Client authentication methods at the token endpoint (`none`, `client_secret_basic`, `private_key_jwt`, ...). */
  token_endpoint_auth_methods_supported?: string[];
  /** PKCE methods (RFC 7636); MCP requires `S256` to be listed. */
  code_challenge_methods_supported?: string[];
  /** The server sends `iss` in authorization responses (RFC 9207 §3). */
  authorization_response_iss_parameter_supported?: boolean;
  /** The server accepts Client ID Metadata Document URLs as client ids (MCP). */
  client_id_metadata_document_supported?: boolean;
  /** JWS algorithms the server accepts in DPoP proofs (RFC 9449 §5.1). */
  dpop_signing_alg_values_supported?: string[];
  /** Any other metadata the server publishes. */
  [key: string]: unknown;
}

/**
 * Discovery URLs in the MCP order: RFC 8414 with path insertion, then OpenID
 * Connect Discovery with path insertion, then OpenID Connect path appending.
 *
 * @example
 * ```ts
 * import { authorizationServerMetadataUrls } from '@mcp-oauth/core/flow';
 *
 * authorizationServerMetadataUrls('https://as.example.com/tenant1');
 * // [ 'https://as.example.com/.well-known/oauth-authorization-server/tenant1',
 * //   'https://as.example.com/.well-known/openid-configuration/tenant1',
 * //   'https://as.example.com/tenant1/.well-known/openid-configuration' ]
 * ```
 */
export function authorizationServerMetadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  // without a path, the last two are the same URL
  return [
    ...new Set([
      `${url.origin}/.well-known/oauth-authorization-server${path}`,
      `${url.origin}/.well-known/openid-configuration${path}`,
      `${url.origin}${path}/.well-known/openid-configuration`,
    ]),
  ];
}

/**
 * What {@link fetchAuthorizationServerMetadata} found, and where it looked.
 *
 * @example
 * ```ts
 * import { type DiscoveredAuthorizationServer, fetchAuthorizationServerMetadata } from '@mcp-oauth/core/flow';
 *
 * const found: DiscoveredAuthorizationServer = await fetchAuthorizationServerMetadata(fetch, 'https://as.example.com', {
 *   maxBytes: 256 * 1024,
 * });
 * for (const { url, status } of found.attempts) console.error(url, status);
 * ```
 */
export interface DiscoveredAuthorizationServer {
  /** The validated metadata. */
  metadata: AuthorizationServerMetadata;
  /** The URL the metadata was read from. */
  url: string;
  /** Every URL tried, in order. */
  attempts: {
    /** The URL. */
    url: string;
    /** `ok` where the metadata was found, else the HTTP status it answered. */
    status: number | 'ok';
  }[];
}

/**
 * Authorization server discovery (RFC 8414, then OpenID Connect Discovery), trying the URLs
 * of {@link authorizationServerMetadataUrls} in order. The metadata's `issuer` must equal
 * `issuer` (RFC 8414 §3.3) and PKCE `S256` must be listed (MCP), unless `quirks` say
 * otherwise. Fails with `authorization_server_not_found` when no URL answers with metadata.
 *
 * @example
 * ```ts
 * import { fetchAuthorizationServerMetadata } from '@mcp-oauth/core/flow';
 *
 * const { metadata } = await fetchAuthorizationServerMetadata(fetch, 'https://login.example.com', {
 *   maxBytes: 256 * 1024,
 *   quirks: { assumePkceS256: true },
 *   signal: AbortSignal.timeout(10_000),
 * });
 * console.log(metadata.token_endpoint);
 * ```
 */
export async function fetchAuthorizationServerMetadata(
  fetch: FetchLike,
  issuer: string,
  options: { maxBytes: number; quirks?: ServerQuirks; signal?: AbortSignal },
): Promise<DiscoveredAuthorizationServer> {
  const attempts: DiscoveredAuthorizationServer['attempts'] = [];
  for (const url of authorizationServerMetadataUrls(issuer)) {
    const result = await fetchMetadata(fetch, url, {
      maxBytes: options.maxBytes,
      invalidCode: 'authorization_server_metadata_invalid',
      what: 'Authorization server metadata',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!result.found) {
      attempts.push({ url, status: result.status });
      continue;
    }
    attempts.push({ url, status: 'ok' });
    const metadata = validateAuthorizationServerMetadata(
      result.document,
      issuer,
      url,
      options.quirks ?? {},
    );
    return { metadata, url, attempts };
  }
  throw new McpOAuthError(
    'authorization_server_not_found',
    `No authorization server metadata found for ${issuer} (tried ${attempts.map((a) => `${safeUrl(a.url)} ${a.status}`).join(', ')}).`,
    { details: { issuer } },
  );
}

export function validateAuthorizationServerMetadata(
  doc: Record<string, unknown>,
  expectedIssuer: string,
  url: string,
  quirks: ServerQuirks,
): AuthorizationServerMetadata {
  const fail = (why: string) =>
    new McpOAuthError(
      'authorization_server_metadata_invalid',
      `The authorization server metadata at ${safeUrl(url)} ${why}.`,
      {
        details: { url: safeUrl(url), issuer: expectedIssuer },
      },
    );
  if (typeof doc.issuer !== 'string') throw fail('has no "issuer"');
  if (/[?#]/.test(doc.issuer))
    throw fail('has an "issuer" with a query or fragment, which RFC 8414 forbids');
  if (!issuersMatch(doc.issuer, expectedIssuer, quirks)) {
    const slashOnly = stripSlash(doc.issuer) === stripSlash(expectedIssuer);
    const option: OptionNamedByErrors = 'quirks.allowIssuerTrailingSlash';
    throw new McpOAuthError(
      'issuer_mismatch',
      `The authorization server metadata at ${safeUrl(url)} was rejected: its issuer "${doc.issuer}" is not "${expectedIssuer}" (RFC 8414).${
        slashOnly ? ` Only a trailing slash differs. The \`${option}\` option accepts that.` : ''
      }`,
      {
        details: {
          url: safeUrl(url),
          expected: expectedIssuer,
          actual: doc.issuer,
          ...(slashOnly ? { option } : {}),
        },
      },
    );
  }
  for (const field of [
    'authorization_endpoint',
    'token_endpoint',
    'registration_endpoint',
    'revocation_endpoint',
    'introspection_endpoint',
    'device_authorization_endpoint',
  ] as const) {
    const value = doc[field];
    if (value !== undefined && (typeof value !== 'string' || !isUrl(value)))
      throw fail(`has an invalid "${field}"`);
  }
  for (const field of [
    'scopes_supported',
    'response_types_supported',
    'grant_types_supported',
    'token_endpoint_auth_methods_supported',
    'code_challenge_methods_supported',
  ] as const) {
    if (doc[field] !== undefined && !isStringArray(doc[field]))
      throw fail(`has a "${field}" that is not a list of strings`);
  }
  const methods = doc.code_challenge_methods_supported as string[] | undefined;
  if (!quirks.assumePkceS256 && !methods?.includes('S256')) {
    throw new McpOAuthError(
      'pkce_unsupported',
      methods === undefined
        ? `The authorization server ${expectedIssuer} publishes no code_challenge_methods_supported (PKCE), so MCP forbids it. If it supports S256 all the same (Entra ID and Cognito do), set the \`quirks.assumePkceS256\` option.`
        : `The authorization server ${expectedIssuer} lacks PKCE S256, which MCP requires (it lists: ${methods.join(', ') || 'nothing'}).`,
      {
        details: {
          issuer: expectedIssuer,
          ...(methods === undefined
            ? { option: 'quirks.assumePkceS256' satisfies OptionNamedByErrors }
            : {}),
        },
      },
    );
  }
  return doc as AuthorizationServerMetadata;
}

function stripSlash(s: string): string {
  return s.endsWith('/') ? s.slice(0, -1) : s;
}

function issuersMatch(actual: string, expected: string, quirks: ServerQuirks): boolean {
  if (actual === expected) return true;
  return quirks.allowIssuerTrailingSlash === true && stripSlash(actual) === stripSlash(expected);
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
