import { McpOAuthError } from '../errors/error.ts';
import { fetchMetadata } from '../http/fetch-metadata.ts';
import { safeUrl } from '../http/guarded-fetch.ts';
import type { FetchLike } from '../http/types.ts';
import { canonicalResource, resourceCovers } from './canonical-resource.ts';

/**
 * Protected resource metadata (RFC 9728 §2): what an MCP server publishes about itself.
 *
 * @example
 * ```ts
 * import { fetchProtectedResourceMetadata, type ProtectedResourceMetadata } from '@mcp-oauth/core/flow';
 *
 * const { metadata } = await fetchProtectedResourceMetadata(fetch, 'https://mcp.example.com/mcp', { maxBytes: 256 * 1024 });
 * const resource: ProtectedResourceMetadata = metadata;
 * console.log(resource.resource, resource.authorization_servers[0], resource.scopes_supported);
 * ```
 */
export interface ProtectedResourceMetadata {
  /** The resource identifier; it must cover the MCP server URL. */
  resource: string;
  /** Issuer identifiers of the authorization servers that issue tokens for it (at least one). */
  authorization_servers: string[];
  /** Scopes the resource uses; asked for when the challenge names none (MCP scope selection). */
  scopes_supported?: string[];
  /** How the resource accepts bearer tokens (`header`). */
  bearer_methods_supported?: string[];
  /** JWS algorithms the resource accepts in DPoP proofs (RFC 9449). */
  dpop_signing_alg_values_supported?: string[];
  /** RFC 9728 §2: the resource accepts only DPoP-bound access tokens (RFC 9449). */
  dpop_bound_access_tokens_required?: boolean;
  /** Any other metadata the resource publishes. */
  [key: string]: unknown;
}

/**
 * The URLs to try for RFC 9728 metadata, in the MCP order: the challenge's
 * `resource_metadata`, then the path-aware well-known URL, then the root one. The path-aware URL
 * is RFC 9728 §3.1's: the well-known path inserted between the host and the path and query, as
 * written (a trailing `/` kept). When the path ends in `/` or there is a query, the URL without
 * them follows it, where servers written for clients that drop them publish.
 *
 * @example
 * ```ts
 * import { protectedResourceMetadataUrls } from '@mcp-oauth/core/flow';
 *
 * protectedResourceMetadataUrls('https://mcp.example.com/mcp');
 * // [ 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
 * //   'https://mcp.example.com/.well-known/oauth-protected-resource' ]
 * ```
 */
export function protectedResourceMetadataUrls(serverUrl: string, fromChallenge?: string): string[] {
  const url = new URL(serverUrl);
  const urls: string[] = [];
  if (fromChallenge) urls.push(new URL(fromChallenge, url).href);
  const wellKnown = `${url.origin}/.well-known/oauth-protected-resource`;
  const path = url.pathname === '/' ? '' : url.pathname;
  if (path || url.search) urls.push(`${wellKnown}${path}${url.search}`);
  if (path.length > 1) urls.push(`${wellKnown}${path.replace(/\/$/, '')}`);
  urls.push(wellKnown);
  return [...new Set(urls)];
}

/**
 * What {@link fetchProtectedResourceMetadata} found, and where it looked.
 *
 * @example
 * ```ts
 * import { type DiscoveredResource, fetchProtectedResourceMetadata } from '@mcp-oauth/core/flow';
 *
 * const found: DiscoveredResource = await fetchProtectedResourceMetadata(fetch, 'https://mcp.example.com/mcp', {
 *   maxBytes: 256 * 1024,
 * });
 * console.error(`metadata at ${found.url} after ${found.attempts.length} tries`);
 * ```
 */
export interface DiscoveredResource {
  /** The validated metadata. */
  metadata: ProtectedResourceMetadata;
  /** The URL the metadata was read from. */
  url: string;
  /** Every URL tried, with what it answered: for `inspect` and error messages. */
  attempts: {
    /** The URL. */
    url: string;
    /** `ok` where the metadata was found, else the HTTP status it answered. */
    status: number | 'ok';
  }[];
}

/**
 * Protected resource metadata discovery (RFC 9728 §3) for an MCP server, trying the URLs of
 * {@link protectedResourceMetadataUrls} in order. The metadata's `resource` must cover
 * `serverUrl` (else `resource_mismatch`).
 *
 * @example
 * ```ts
 * import { fetchProtectedResourceMetadata } from '@mcp-oauth/core/flow';
 *
 * const { metadata } = await fetchProtectedResourceMetadata(fetch, 'https://mcp.example.com/mcp', {
 *   resourceMetadataUrl: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp', // from a 401 challenge
 *   maxBytes: 256 * 1024,
 * });
 * ```
 */
export async function fetchProtectedResourceMetadata(
  fetch: FetchLike,
  serverUrl: string,
  options: { resourceMetadataUrl?: string; maxBytes: number; signal?: AbortSignal },
): Promise<DiscoveredResource> {
  const attempts: DiscoveredResource['attempts'] = [];
  for (const url of protectedResourceMetadataUrls(serverUrl, options.resourceMetadataUrl)) {
    const result = await fetchMetadata(fetch, url, {
      maxBytes: options.maxBytes,
      invalidCode: 'resource_metadata_invalid',
      what: 'Protected resource metadata',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!result.found) {
      attempts.push({ url, status: result.status });
      continue;
    }
    attempts.push({ url, status: 'ok' });
    const metadata = validateProtectedResourceMetadata(result.document, url);
    if (!resourceCovers(metadata.resource, serverUrl)) {
      throw new McpOAuthError(
        'resource_mismatch',
        `The protected resource metadata at ${safeUrl(url)} is for ${metadata.resource}, not ${canonicalResource(serverUrl)}; refusing another resource.`,
        {
          details: {
            url: safeUrl(url),
            resource: metadata.resource,
            server: canonicalResource(serverUrl),
          },
        },
      );
    }
    return { metadata, url, attempts };
  }
  throw new McpOAuthError(
    'resource_metadata_invalid',
    `No protected resource metadata (RFC 9728) found for ${canonicalResource(serverUrl)} (tried ${attempts.map((a) => `${safeUrl(a.url)} ${a.status}`).join(', ')}); the server may not support MCP authorization.`,
    { details: { server: canonicalResource(serverUrl), notFound: true } },
  );
}

export function validateProtectedResourceMetadata(
  doc: Record<string, unknown>,
  url: string,
): ProtectedResourceMetadata {
  const fail = (why: string) =>
    new McpOAuthError(
      'resource_metadata_invalid',
      `The protected resource metadata at ${safeUrl(url)} ${why}.`,
      {
        details: { url: safeUrl(url) },
      },
    );
  if (typeof doc.resource !== 'string' || !doc.resource) throw fail('has no "resource"');
  if (!isHttpUrl(doc.resource) || doc.resource.includes('#')) {
    throw fail('has a "resource" that is not an http(s) URL without fragment (RFC 8707)');
  }
  const servers = doc.authorization_servers;
  if (
    !Array.isArray(servers) ||
    servers.length === 0 ||
    !servers.every((s) => typeof s === 'string' && isHttpUrl(s))
  ) {
    throw fail('lists no valid "authorization_servers"');
  }
  if (doc.scopes_supported !== undefined && !isStringArray(doc.scopes_supported)) {
    throw fail('has a "scopes_supported" that is not a list of strings');
  }
  return doc as ProtectedResourceMetadata;
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
