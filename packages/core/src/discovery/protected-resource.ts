import { McpOAuthError } from '../errors/error.ts';
import { fetchMetadata } from '../http/fetch-metadata.ts';
import { safeUrl } from '../http/guarded-fetch.ts';
import type { FetchLike } from '../http/types.ts';
import { canonicalResource, resourceCovers } from './canonical-resource.ts';

export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported?: string[];
  bearer_methods_supported?: string[];
  dpop_signing_alg_values_supported?: string[];
  /** RFC 9728 §2: the resource accepts only DPoP-bound access tokens (RFC 9449). */
  dpop_bound_access_tokens_required?: boolean;
  [key: string]: unknown;
}

/**
 * The URLs to try for RFC 9728 metadata, in the MCP order: the challenge's
 * `resource_metadata`, then the path-aware well-known URL, then the root one.
 */
export function protectedResourceMetadataUrls(serverUrl: string, fromChallenge?: string): string[] {
  const url = new URL(serverUrl);
  const urls: string[] = [];
  if (fromChallenge) urls.push(new URL(fromChallenge, url).href);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  if (path) urls.push(`${url.origin}/.well-known/oauth-protected-resource${path}`);
  urls.push(`${url.origin}/.well-known/oauth-protected-resource`);
  return [...new Set(urls)];
}

export interface DiscoveredResource {
  metadata: ProtectedResourceMetadata;
  url: string;
  /** Every URL tried, with what it answered: for `inspect` and error messages. */
  attempts: { url: string; status: number | 'ok' }[];
}

export async function discoverProtectedResource(
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
