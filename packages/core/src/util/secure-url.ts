import { McpOAuthError } from '../errors/error.ts';

/** Host names of loopback addresses (127.0.0.0/8 beyond 127.0.0.1 is matched apart). */
export const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

/**
 * OAuth endpoints must be https. Plain http is accepted for loopback addresses
 * (local development and tests) or when the caller opted in explicitly.
 */
export function assertSecureUrl(value: string, what: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new McpOAuthError('invalid_response', `${what} is not a valid URL.`, { cause });
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (allowInsecureHttp || isLoopbackUrl(url))) return url;
  throw new McpOAuthError(
    'insecure_url',
    `${what} (${url.origin}) is not https; plain http is accepted only on loopback or with allowInsecureHttp.`,
    { details: { url: url.origin } },
  );
}
