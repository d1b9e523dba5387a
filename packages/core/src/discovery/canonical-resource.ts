import { McpOAuthError } from '../errors/error.ts';

/**
 * The canonical form of an MCP server URL, used as the RFC 8707 `resource`:
 * lower-case scheme and host, no default port, no fragment, no query; the path is
 * kept as given except that a lone "/" is dropped (https://mcp.example.com).
 *
 * @example
 * ```ts
 * import { canonicalResource } from '@mcp-oauth/core/flow';
 *
 * canonicalResource('HTTPS://MCP.Example.com:443/'); // 'https://mcp.example.com'
 * canonicalResource('https://mcp.example.com/mcp?x=1#top'); // 'https://mcp.example.com/mcp'
 * ```
 */
export function canonicalResource(serverUrl: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(serverUrl));
  } catch (cause) {
    throw new McpOAuthError(
      'invalid_configuration',
      `"${String(serverUrl)}" is not a valid server URL.`,
      { cause },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new McpOAuthError(
      'invalid_configuration',
      `MCP server URLs must be http(s); got ${url.protocol}.`,
    );
  }
  if (url.username || url.password) {
    throw new McpOAuthError(
      'invalid_configuration',
      'MCP server URLs must not contain credentials.',
    );
  }
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * True when `resource` (from protected resource metadata) identifies `serverUrl`:
 * the same canonical URL, or a parent of it on the same origin at a path boundary
 * (a server at https://h/api/mcp may name https://h/api as its resource).
 *
 * @example
 * ```ts
 * import { resourceCovers } from '@mcp-oauth/core/flow';
 *
 * resourceCovers('https://h.example/api', 'https://h.example/api/mcp'); // true
 * resourceCovers('https://h.example/ap', 'https://h.example/api/mcp'); // false: not at a path boundary
 * ```
 */
export function resourceCovers(resource: string, serverUrl: string): boolean {
  const a = canonicalResource(resource);
  const b = canonicalResource(serverUrl);
  if (a === b) return true;
  const ua = new URL(a);
  const ub = new URL(b);
  if (ua.origin !== ub.origin) return false;
  const parent = ua.pathname.endsWith('/') ? ua.pathname : `${ua.pathname}/`;
  return ua.pathname === '/' || ub.pathname.startsWith(parent);
}

/** True when a request to `requestUrl` is covered by the token issued for `resource`. */
export function requestIsForResource(requestUrl: string, resource: string): boolean {
  try {
    return resourceCovers(resource, requestUrl.split('?')[0] ?? requestUrl);
  } catch {
    return false;
  }
}

/**
 * `requestIsForResource` for a resource already in canonical form (a session's
 * `resourceKey`): the hot path (every MCP request) is a string prefix check; only URLs it
 * cannot decide are parsed.
 */
export function matchesCanonicalResource(canonical: string, requestUrl: string): boolean {
  if (requestUrl.startsWith(canonical)) {
    const next = requestUrl.charAt(canonical.length);
    if (next === '' || next === '/' || next === '?' || next === '#') return true;
  }
  return requestIsForResource(requestUrl, canonical);
}

/** `requestIsForResource` for one resource, canonicalized once. */
export function resourceMatcher(resource: string): (requestUrl: string) => boolean {
  const canonical = canonicalResource(resource);
  return (requestUrl) => matchesCanonicalResource(canonical, requestUrl);
}
