import { McpOAuthError } from '@mcp-oauth/core/store';

/**
 * Store keys are arbitrary strings (slashes, `..`, unicode, up to 1024 characters);
 * Vault paths are not. Each key becomes one base64url path segment (alphabet
 * `A-Z a-z 0-9 - _`), so no key can escape its folder or create sub-folders.
 */
export function encodeKey(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** The key of an encoded segment, or undefined when the segment is not one of ours. */
export function decodeKey(segment: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  const key = Buffer.from(segment, 'base64url').toString('utf8');
  return encodeKey(key) === segment ? key : undefined;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Path parts we put into Vault paths from options must be plain, safe segments. */
export function assertSegments(what: string, value: string, allowSlashes: boolean): void {
  const parts = allowSlashes ? value.split('/') : [value];
  if (parts.length === 0 || !parts.every((p) => SEGMENT.test(p))) {
    throw new McpOAuthError(
      'invalid_configuration',
      `The Vault store's ${what} "${value}" is not a valid path ${allowSlashes ? '' : 'segment'}: use letters, digits, ".", "_" and "-"${allowSlashes ? ', separated by "/"' : ''}.`,
      { details: { option: what } },
    );
  }
}
