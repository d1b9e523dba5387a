import { McpOAuthError } from '../errors/error.ts';
import type { OptionNamedByErrors } from '../errors/options.ts';
import { fetchMetadata } from '../http/fetch-metadata.ts';
import { safeUrl } from '../http/guarded-fetch.ts';
import type { FetchLike } from '../http/types.ts';
import { isStringArray } from './protected-resource.ts';
import type { ServerQuirks } from './quirks.ts';

export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  registration_endpoint?: string;
  revocation_endpoint?: string;
  introspection_endpoint?: string;
  device_authorization_endpoint?: string;
  jwks_uri?: string;
  scopes_supported?: string[];
  response_types_supported?: string[];
  grant_types_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  code_challenge_methods_supported?: string[];
  authorization_response_iss_parameter_supported?: boolean;
  client_id_metadata_document_supported?: boolean;
  dpop_signing_alg_values_supported?: string[];
  [key: string]: unknown;
}

/**
 * Discovery URLs in the MCP order: RFC 8414 with path insertion, then OpenID
 * Connect Discovery with path insertion, then OpenID Connect path appending.
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

export interface DiscoveredAuthorizationServer {
  metadata: AuthorizationServerMetadata;
  url: string;
  attempts: { url: string; status: number | 'ok' }[];
}

export async function discoverAuthorizationServer(
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
