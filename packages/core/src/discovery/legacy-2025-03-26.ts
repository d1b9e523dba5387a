import { McpOAuthError } from '../errors/error.ts';
import { fetchMetadata } from '../http/fetch-metadata.ts';
import { safeUrl } from '../http/guarded-fetch.ts';
import type { FetchLike } from '../http/types.ts';
import {
  type AuthorizationServerMetadata,
  validateAuthorizationServerMetadata,
} from './authorization-server.ts';
import { canonicalResource } from './canonical-resource.ts';
import { mcpEndpointAbsent } from './mcp-endpoint-absent.ts';
import type { ProtectedResourceMetadata } from './protected-resource.ts';
import type { ServerQuirks } from './quirks.ts';

export interface LegacyDiscovery {
  resourceMetadata: ProtectedResourceMetadata;
  metadata: AuthorizationServerMetadata;
  /** The metadata URL, or '' when the default endpoints were assumed. */
  url: string;
}

/**
 * MCP 2025-03-26 discovery, for servers that publish no protected resource
 * metadata (RFC 9728 came with 2025-06-18). The authorization base URL is the
 * MCP server's origin (its path discarded):
 * 1. RFC 8414 metadata at `<origin>/.well-known/oauth-authorization-server`,
 *    whose issuer must be on that same origin (the old revision bound nothing
 *    else; we do not accept metadata that names another host);
 * 2. without metadata, the default endpoints `<origin>/authorize`, `/token`
 *    and `/register`. 2025-03-26 made PKCE mandatory for every server, so S256
 *    is assumed for them; but only when the MCP endpoint is there: one that answers
 *    404 to an MCP POST and to the legacy transport's GET is a wrong URL
 *    (`resource_metadata_invalid`).
 * Used only when every RFC 9728 location answered 4xx and no challenge named one.
 */
export async function fetchOriginMetadata2025(
  fetch: FetchLike,
  serverUrl: string,
  options: {
    maxBytes: number;
    quirks?: ServerQuirks;
    signal?: AbortSignal;
    /** The fetch of MCP requests, for the MCP URL itself (its bodies are never read). */
    probeFetch: FetchLike;
  },
): Promise<LegacyDiscovery> {
  const origin = new URL(serverUrl).origin;
  const resourceMetadata = (issuer: string): ProtectedResourceMetadata => ({
    resource: canonicalResource(serverUrl),
    authorization_servers: [issuer],
  });
  const url = `${origin}/.well-known/oauth-authorization-server`;
  const result = await fetchMetadata(fetch, url, {
    maxBytes: options.maxBytes,
    invalidCode: 'authorization_server_metadata_invalid',
    what: 'Authorization server metadata',
    headers: { 'mcp-protocol-version': '2025-03-26' },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (result.found) {
    const issuer = result.document.issuer;
    if (typeof issuer !== 'string' || !sameOrigin(issuer, origin)) {
      throw new McpOAuthError(
        'issuer_mismatch',
        `Without resource metadata (RFC 9728) only the MCP server's origin may authorize it, not "${String(issuer)}" of ${safeUrl(url)}.`,
        { details: { url: safeUrl(url), expected: origin, actual: String(issuer) } },
      );
    }
    const metadata = validateAuthorizationServerMetadata(
      result.document,
      issuer,
      url,
      options.quirks ?? {},
    );
    return { resourceMetadata: resourceMetadata(metadata.issuer), metadata, url };
  }
  // no metadata anywhere: the default endpoints are for an MCP endpoint that is there; one that
  // is not (404 to a POST and to the legacy transport's GET) is a wrong URL, not an old server
  if (await mcpEndpointAbsent(options.probeFetch, serverUrl, options.signal))
    throw new McpOAuthError(
      'resource_metadata_invalid',
      `${safeUrl(serverUrl)} answered HTTP 404, and no OAuth metadata was found for it (neither RFC 9728 resource metadata nor ${safeUrl(url)}): there is no MCP server at this URL; check it.`,
      { status: 404, details: { server: canonicalResource(serverUrl), url: safeUrl(serverUrl) } },
    );
  const metadata: AuthorizationServerMetadata = {
    issuer: origin,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    registration_endpoint: `${origin}/register`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
  };
  return { resourceMetadata: resourceMetadata(origin), metadata, url: '' };
}

function sameOrigin(value: string, origin: string): boolean {
  try {
    return new URL(value).origin === origin;
  } catch {
    return false;
  }
}
