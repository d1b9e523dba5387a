import { McpOAuthError } from '../errors/error.ts';

/**
 * Which failed OAuth requests may be repeated: decided here, once, per kind of request (issue 13,
 * DESIGN.md "One retry policy"). Core is the one layer that loops over OAuth requests (the
 * transport under it does not, by default); each request marks the `McpOAuthError` it throws
 * with `retryable`, and the loop (`with-retries.ts`) reads that and decides nothing.
 *
 * A failure is *unprocessed* when the server certainly did not act on the request: the
 * connection was refused or the name did not resolve, or the server answered 429 or 503. It is
 * *ambiguous* when the server may have acted on it: a connection reset or a timeout after the
 * request was sent, 500, 502, 504. An OAuth error response (400 `invalid_grant`, ...) or any
 * other 4xx is never repeated.
 *
 * Each row: `true` repeats unprocessed and ambiguous failures, `false` unprocessed ones only.
 */

/** Discovery (RFC 9728, RFC 8414) and JWKS GETs: read-only, repeating them changes nothing. */
export const DISCOVERY_REPEATS_AMBIGUOUS = true;

/** Revocation (RFC 7009): idempotent, revoking a revoked token succeeds. */
export const REVOCATION_REPEATS_AMBIGUOUS = true;

/** Introspection (RFC 7662): read-only. */
export const INTROSPECTION_REPEATS_AMBIGUOUS = true;

/**
 * refresh_token grant: unprocessed only. A lost response may already have rotated the token;
 * repeating the old refresh token can trip reuse detection and revoke the whole grant
 * (OAuth 2.1 §4.3.1). The refresh rules (re-read the store after locking) recover when another
 * process won.
 */
export const REFRESH_REPEATS_AMBIGUOUS = false;

/**
 * authorization_code grant: unprocessed only. The code is single-use; a replay may make the
 * server revoke the tokens already issued for it (RFC 6749 §4.1.2).
 */
export const AUTHORIZATION_CODE_REPEATS_AMBIGUOUS = false;

/** Dynamic client registration (RFC 7591): unprocessed only; a repeat leaves an orphan client. */
export const REGISTRATION_REPEATS_AMBIGUOUS = false;

/**
 * client_credentials, jwt-bearer (RFC 7523), token exchange (RFC 8693): no state is consumed;
 * a duplicate only issues a second token.
 */
export const TOKEN_WITHOUT_PERSON_REPEATS_AMBIGUOUS = true;

/**
 * Device flow (RFC 8628): the poll loop repeats by design (`interval`, `slow_down`); a network
 * failure while polling or requesting the device code repeats as well.
 */
export const DEVICE_REPEATS_AMBIGUOUS = true;

/** Connection failures where nothing was sent (fetch's `TypeError` cause codes). */
const NOTHING_SENT = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'];

/**
 * How a request failed: `unprocessed`, `ambiguous`, or undefined when repeating it cannot help
 * (a refusal, a 4xx, an invalid response). Reads the transport's `phase` (`connect`: nothing was
 * sent) when its error has one, else the cause's code.
 */
export function failureOf(error: McpOAuthError): 'unprocessed' | 'ambiguous' | undefined {
  if (error.code === 'network_error' || error.code === 'timeout') {
    const cause = error.cause as { phase?: unknown; code?: unknown; cause?: { code?: unknown } };
    // @mcp-oauth/transport-fetch throws McpOAuthError with `details.phase`; a plain fetch's
    // TypeError (wrapped by asTransportError) may carry `phase` or only a cause code.
    const phase = error.details.phase ?? cause?.phase;
    if (phase === 'connect') return 'unprocessed';
    if (error.code === 'timeout') return 'ambiguous';
    const code = cause?.code ?? cause?.cause?.code;
    return NOTHING_SENT.includes(code as string) ? 'unprocessed' : 'ambiguous';
  }
  const { status } = error;
  if (status === 429 || status === 503) return 'unprocessed';
  return status !== undefined && status >= 500 ? 'ambiguous' : undefined;
}

/** Sets `error.retryable` by the row of its request (one of the constants above). */
export function markRetryable(error: unknown, repeatsAmbiguous: boolean): unknown {
  if (McpOAuthError.isInstance(error)) {
    const failure = failureOf(error);
    error.retryable = failure === 'unprocessed' || (repeatsAmbiguous && failure === 'ambiguous');
  }
  return error;
}
