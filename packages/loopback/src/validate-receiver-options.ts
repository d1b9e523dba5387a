import { McpOAuthError } from '@mcp-oauth/core';

/** The redirect URI's path: absolute, no query, fragment, spaces or empty segment. */
export function validatePath(path: string): void {
  if (!path.startsWith('/') || /[?#\s]/.test(path) || path.includes('//')) {
    throw new McpOAuthError(
      'invalid_configuration',
      `The loopback callback path must start with "/" and contain no query, fragment or spaces (got ${JSON.stringify(path)}).`,
    );
  }
}

/** A TCP port, or 0 for an ephemeral one. */
export function validatePort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new McpOAuthError(
      'invalid_configuration',
      `The loopback port must be an integer from 0 to 65535 (got ${String(port)}).`,
    );
  }
}

/** `'error'` or `'ephemeral'`, also when the caller's types were not checked. */
export function validateFallback(fallback: string): void {
  if (fallback !== 'error' && fallback !== 'ephemeral') {
    throw new McpOAuthError(
      'invalid_configuration',
      `The loopback fallback must be 'error' or 'ephemeral' (got ${JSON.stringify(fallback)}).`,
    );
  }
}
