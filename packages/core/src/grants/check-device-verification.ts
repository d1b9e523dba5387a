import { UNPRINTABLE } from '@mcp-oauth/internal';
import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import { assertSecureUrl } from '../util/secure-url.ts';

/** What the person is shown from a device authorization response (RFC 8628 §3.2). */
export interface DeviceVerification {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
}

/**
 * The parts of a device authorization response that reach a person, checked as the MCP security
 * best practices require of every URL a server supplies (BP "Secure URL Opening", "Input
 * Sanitization"): before any prompt, event or store sees them.
 *
 * - `verification_uri` must parse, be https (plain http only where `allowInsecureHttp` allows,
 *   as for every endpoint) and contain no unprintable character; it is passed on as the parser
 *   serialises it (ASCII only: a non-ASCII host in punycode, the rest percent-encoded). A
 *   failure refuses the response: without it the person has nowhere to go.
 * - `verification_uri_complete` is checked by the same rule; one that fails is dropped, not
 *   shown, and the person uses `verification_uri` with the code (RFC 8628 §3.3.1 makes it
 *   optional). A `javascript:` or `data:` URL, or one carrying a terminal escape sequence, never
 *   reaches the application.
 * - `user_code` must contain no control, format or separator character (ESC, CR, C1 controls,
 *   bidirectional overrides) and not be blank: such a code cannot be typed, and on a terminal
 *   it could rewrite what was shown. It is refused, not stripped, since a stripped code is not
 *   the one the server issued.
 *
 * Messages never repeat the refused value.
 */
export function checkDeviceVerification(
  ctx: FlowContext,
  response: { user_code: string; verification_uri: string; verification_uri_complete?: string },
): DeviceVerification {
  const userCode = response.user_code;
  if (UNPRINTABLE.test(userCode) || userCode.trim() === '') {
    throw new McpOAuthError(
      'invalid_response',
      'The device authorization response has a user_code that a person cannot read or type (blank, or with control characters): it was refused. The authorization server is misconfigured or hostile.',
      { details: { parameter: 'user_code' } },
    );
  }
  const verificationUri = verificationUrl(ctx, response.verification_uri, 'verification_uri');
  let verificationUriComplete: string | undefined;
  if (response.verification_uri_complete !== undefined) {
    try {
      verificationUriComplete = verificationUrl(
        ctx,
        response.verification_uri_complete,
        'verification_uri_complete',
      );
    } catch {
      // dropped: the person is shown verification_uri and the code instead
    }
  }
  return {
    userCode,
    verificationUri,
    ...(verificationUriComplete ? { verificationUriComplete } : {}),
  };
}

function verificationUrl(ctx: FlowContext, value: string, parameter: string): string {
  const refused = (why: string, cause?: unknown) =>
    new McpOAuthError(
      'invalid_response',
      `The device authorization response has a ${parameter} that ${why}: it was refused. The authorization server is misconfigured or hostile.`,
      { details: { parameter }, ...(cause ? { cause } : {}) },
    );
  // the URL parser silently drops some of them (tabs, newlines, leading controls)
  if (UNPRINTABLE.test(value)) throw refused('contains control characters');
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw refused('is not a valid URL', cause);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw refused(`uses the scheme ${url.protocol} (only https is accepted)`);
  // the scheme is serialised by the parser: letters, digits, + - . only
  return assertSecureUrl(
    url.href,
    `The ${parameter} of the device authorization response`,
    ctx.allowInsecureHttp,
  ).href;
}
