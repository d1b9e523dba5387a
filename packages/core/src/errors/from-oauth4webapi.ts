import {
  AuthorizationResponseError,
  OperationProcessingError,
  ResponseBodyError,
  UnsupportedOperationError,
  WWWAuthenticateChallengeError,
} from 'oauth4webapi';
import { safeUrl } from '../http/guarded-fetch.ts';
import type { McpOAuthErrorCode } from './codes.ts';
import { McpOAuthError } from './error.ts';
import type { OptionNamedByErrors } from './options.ts';

/**
 * An operation: the code of its failures, how messages name it, and whether it is a grant
 * (whose invalid_grant gets its own code) or the device flow (also expired_token and
 * access_denied). Separate constants, so that a bundle keeps only the operations it uses.
 */
export type OAuthOperation = readonly [
  failure: McpOAuthErrorCode,
  what: string,
  kind?: 'grant' | 'device',
];

export const TOKEN_REQUEST: OAuthOperation = ['token_request_failed', 'The token request', 'grant'];
export const REFRESH_REQUEST: OAuthOperation = [
  'token_request_failed',
  'The refresh request',
  'grant',
];
export const DEVICE_REQUEST: OAuthOperation = [
  'token_request_failed',
  'The device authorization',
  'device',
];
export const REGISTRATION: OAuthOperation = ['registration_failed', 'Dynamic client registration'];
export const REVOCATION: OAuthOperation = ['revocation_failed', 'Token revocation'];
export const INTROSPECTION: OAuthOperation = ['introspection_failed', 'Token introspection'];
export const CALLBACK: OAuthOperation = ['authorization_denied', 'The authorization'];

/** What to do next, after a refusal with this code, and the option the hint names. */
const HINTS: Partial<Record<McpOAuthErrorCode, readonly [string, OptionNamedByErrors?]>> = {
  grant_rejected: [' The grant is no longer valid: authorize again.'],
  registration_failed: [
    ' Register a client by hand and pass its client id in the `client.clientId` option.',
    'client.clientId',
  ],
};

/**
 * Maps oauth4webapi's errors to ours. The original error is kept as `cause`, but
 * as a copy without its response body: bodies of token responses carry tokens. `url`: the
 * endpoint called, named when it answers with an HTTP error that is not OAuth's.
 */
export function fromOAuth4WebApi(
  error: unknown,
  operation: OAuthOperation,
  url?: string,
): McpOAuthError {
  if (McpOAuthError.isInstance(error)) return error;
  const cause = sanitized(error);
  const [failure, what, kind] = operation;
  if (error instanceof ResponseBodyError || error instanceof AuthorizationResponseError) {
    const oauthError = error.error;
    const description = error.error_description;
    const status = error instanceof ResponseBodyError ? error.status : undefined;
    let code = failure;
    if (oauthError === 'invalid_grant' && kind) code = 'grant_rejected';
    if (kind === 'device' && oauthError === 'expired_token') code = 'device_authorization_expired';
    if (kind === 'device' && oauthError === 'access_denied') code = 'device_authorization_denied';
    const [hint = '', option] = HINTS[code] ?? [];
    return new McpOAuthError(
      code,
      `${what} was refused by the authorization server: ${oauthError}${description ? ` (${description})` : ''}.${hint}`,
      {
        cause,
        oauthError,
        ...(description ? { oauthErrorDescription: description } : {}),
        ...(status ? { status } : {}),
        ...(option ? { details: { option } } : {}),
      },
    );
  }
  if (error instanceof WWWAuthenticateChallengeError) {
    const challenge = error.cause[0];
    const oauthError = challenge?.parameters.error;
    return new McpOAuthError(
      failure,
      `${what} was rejected with HTTP ${error.status}${oauthError ? ` (${oauthError})` : ''}. Check the client credentials.`,
      { cause, status: error.status, ...(oauthError ? { oauthError } : {}) },
    );
  }
  if (error instanceof OperationProcessingError) {
    const response = (error as { cause?: unknown }).cause;
    if (isResponse(response) && response.status !== 200) {
      const retryAfter = response.headers.get('retry-after') ?? undefined;
      const busy = response.status >= 500 || response.status === 429;
      // nothing there answers OAuth (a wrong URL, or endpoints assumed): the hint for the failure
      const [hint = '', option] = busy
        ? [' The authorization server is down or busy: try again later.']
        : (HINTS[failure] ?? []);
      return new McpOAuthError(
        busy ? 'http_error' : failure,
        `${what}${url ? ` at ${safeUrl(url)}` : ''} failed with HTTP ${response.status} (not an OAuth error response).${hint}`,
        {
          cause,
          status: response.status,
          details: {
            ...(retryAfter ? { retryAfter } : {}),
            ...(url ? { url: safeUrl(url) } : {}),
            ...(option ? { option } : {}),
          },
        },
      );
    }
    if (/"state"/.test(error.message)) {
      return new McpOAuthError(
        'state_mismatch',
        'Rejected an authorization response with a missing or wrong "state": not from this request.',
        { cause },
      );
    }
    if (/"token_type"/.test(error.message)) {
      return new McpOAuthError(
        'invalid_response',
        `${what} got a token response without a valid "token_type" (RFC 6749 §5.1 requires it). If the server omits it and issues Bearer tokens, set the \`quirks.allowMissingTokenType\` option.`,
        {
          cause,
          details: { option: 'quirks.allowMissingTokenType' satisfies OptionNamedByErrors },
        },
      );
    }
    if (/"iss"/.test(error.message)) return issuerMismatch(cause);
    return new McpOAuthError(
      'invalid_response',
      `${what} got a non-conforming response: ${error.message}.`,
      { cause },
    );
  }
  if (error instanceof TypeError || error instanceof UnsupportedOperationError) {
    return new McpOAuthError('invalid_response', `${what} failed: ${error.message}.`, {
      cause,
    });
  }
  return new McpOAuthError(failure, `${what} failed.`, { cause });
}

/** An authorization response whose `iss` is missing or not the recorded issuer (RFC 9207). */
export function issuerMismatch(cause: Error | undefined): McpOAuthError {
  return new McpOAuthError(
    'issuer_mismatch',
    'Rejected an authorization response with a missing or wrong "iss" (RFC 9207): possibly from another server (mix-up attack).',
    { cause, details: { parameter: 'iss' } },
  );
}

function sanitized(error: unknown): Error | undefined {
  if (!(error instanceof Error)) return undefined;
  const copy = new Error(error.message);
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code: string }).code = code;
  return copy;
}

/** Duck-typed: responses may come from another fetch implementation (undici's own class). */
function isResponse(value: unknown): value is Response {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Response).status === 'number' &&
    typeof (value as Response).headers?.get === 'function'
  );
}
