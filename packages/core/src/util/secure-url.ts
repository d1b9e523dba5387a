import { McpOAuthError } from '../errors/error.ts';
import type { OptionNamedByErrors } from '../errors/options.ts';

/** Host names of loopback addresses (127.0.0.0/8 beyond 127.0.0.1 is matched apart). */
export const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

/**
 * OAuth endpoints must be https (MCP security best practices). Plain http only with an
 * explicit opt-in: `true` anywhere, `'loopback'` on loopback addresses (local development;
 * the default when the MCP server itself is on a loopback address).
 */
export function assertSecureUrl(
  value: string,
  what: string,
  allowInsecureHttp: boolean | 'loopback',
): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new McpOAuthError('invalid_response', `${what} is not a valid URL.`, { cause });
  }
  if (url.protocol === 'https:') return url;
  if (
    url.protocol === 'http:' &&
    (allowInsecureHttp === true || (allowInsecureHttp && isLoopbackUrl(url)))
  )
    return url;
  throw new McpOAuthError(
    'insecure_url',
    `${what} (${url.origin}) is not https. Plain http needs the \`allowInsecureHttp\` option ('loopback' or true).`,
    { details: { url: url.origin, option: 'allowInsecureHttp' satisfies OptionNamedByErrors } },
  );
}
