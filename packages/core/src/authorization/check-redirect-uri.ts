import { redactUrl } from '@mcp-oauth/internal';
import { McpOAuthError } from '../errors/error.ts';
import { isLoopbackUrl } from '../util/secure-url.ts';

/** Schemes a browser handles itself: never an app's redirect URI. */
const BROWSER_SCHEMES = new Set([
  'javascript:',
  'data:',
  'file:',
  'blob:',
  'about:',
  'vbscript:',
  'view-source:',
  'ftp:',
  'ws:',
  'wss:',
]);

/**
 * The one check of a redirect URI, made before the client is resolved, so that a URI the
 * rules refuse is never registered with the authorization server:
 * - MCP (OAuth 2.1 §1.5): an `http` redirect URI must be on a loopback address (`127.0.0.0/8`,
 *   `[::1]`, `localhost`); anything else over the network must be `https`;
 * - a private-use scheme (`com.example.app:/callback`, RFC 8252 §7.1, OAuth 2.1 §8.4) is kept:
 *   the operating system hands it to the app and it never crosses the network, so the MCP
 *   rule, which is about transport security, does not apply to it; never a scheme a browser
 *   handles itself (`javascript:`, `data:`, `file:`...);
 * - OAuth 2.1 §2.3.1 / RFC 6749 §3.1.2: no fragment (an empty `#` too).
 */
export function assertRedirectUri(redirectUri: string): void {
  const refuse = (why: string) =>
    new McpOAuthError(
      'invalid_configuration',
      `The redirect URI ${redactUrl(redirectUri)} ${why}. Redirect URIs must be https, or http on a loopback address (127.0.0.1, [::1], localhost), or a private-use scheme of the app, without a fragment: pass another \`redirectUri\` option.`,
      { details: { option: 'redirectUri' } },
    );
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw refuse('is not a valid absolute URL');
  }
  if (redirectUri.includes('#')) throw refuse('has a fragment');
  if (url.protocol === 'http:' && !isLoopbackUrl(url))
    throw refuse('is plain http on a host that is not a loopback address');
  // a private-use scheme is the app's own (RFC 8252 §7.1 asks for a reverse domain name; apps
  // in the field use `cursor:` and the like): never one a browser handles itself
  if (BROWSER_SCHEMES.has(url.protocol))
    throw refuse(`uses the scheme ${url.protocol}, which the browser handles itself`);
}
