import * as oauth from 'oauth4webapi';
import type { McpOAuthErrorCode } from './codes.ts';
import { McpOAuthError } from './error.ts';

export type OAuthOperation =
  | 'token'
  | 'refresh'
  | 'registration'
  | 'revocation'
  | 'introspection'
  | 'device'
  | 'callback'
  | 'registration_management';

const FAILURE_CODE: Record<OAuthOperation, McpOAuthErrorCode> = {
  token: 'token_request_failed',
  refresh: 'token_request_failed',
  device: 'token_request_failed',
  registration: 'registration_failed',
  revocation: 'revocation_failed',
  introspection: 'introspection_failed',
  callback: 'authorization_denied',
  registration_management: 'registration_management_failed',
};

const WHAT: Record<OAuthOperation, string> = {
  token: 'The token request',
  refresh: 'The refresh request',
  device: 'The device authorization',
  registration: 'Dynamic client registration',
  revocation: 'Token revocation',
  introspection: 'Token introspection',
  callback: 'The authorization',
  registration_management: 'Client registration management',
};

/**
 * Maps oauth4webapi's errors to ours. The original error is kept as `cause`, but
 * as a copy without its response body: bodies of token responses carry tokens.
 */
export function fromOAuth4WebApi(error: unknown, operation: OAuthOperation): McpOAuthError {
  if (McpOAuthError.isInstance(error)) return error;
  const cause = sanitized(error);
  if (
    error instanceof oauth.ResponseBodyError ||
    error instanceof oauth.AuthorizationResponseError
  ) {
    const oauthError = error.error;
    const description = error.error_description;
    const status = error instanceof oauth.ResponseBodyError ? error.status : undefined;
    let code = FAILURE_CODE[operation];
    if (
      oauthError === 'invalid_grant' &&
      (operation === 'refresh' || operation === 'token' || operation === 'device')
    )
      code = 'invalid_grant';
    if (operation === 'device' && oauthError === 'expired_token')
      code = 'device_authorization_expired';
    if (operation === 'device' && oauthError === 'access_denied')
      code = 'device_authorization_denied';
    return new McpOAuthError(
      code,
      `${WHAT[operation]} was refused by the authorization server: ${oauthError}${description ? ` (${description})` : ''}.${hint(code)}`,
      {
        cause,
        oauthError,
        ...(description ? { oauthErrorDescription: description } : {}),
        ...(status ? { status } : {}),
      },
    );
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = error.cause[0];
    const oauthError = challenge?.parameters.error;
    return new McpOAuthError(
      FAILURE_CODE[operation],
      `${WHAT[operation]} was rejected with HTTP ${error.status}${oauthError ? ` (${oauthError})` : ''}. Check the client credentials.`,
      { cause, status: error.status, ...(oauthError ? { oauthError } : {}) },
    );
  }
  if (error instanceof oauth.OperationProcessingError) {
    const response = (error as { cause?: unknown }).cause;
    if (isResponse(response) && response.status !== 200) {
      const retryAfter = response.headers.get('retry-after') ?? undefined;
      return new McpOAuthError(
        response.status >= 500 || response.status === 429 ? 'http_error' : FAILURE_CODE[operation],
        `${WHAT[operation]} failed with HTTP ${response.status} and a body that is not an OAuth error response.`,
        { cause, status: response.status, details: { ...(retryAfter ? { retryAfter } : {}) } },
      );
    }
    if (/"state"/.test(error.message)) {
      return new McpOAuthError(
        'state_mismatch',
        'The authorization response has a missing or wrong "state": it does not belong to this authorization request and was rejected.',
        { cause },
      );
    }
    if (/"iss"/.test(error.message)) {
      return new McpOAuthError(
        'iss_mismatch',
        'The authorization response has a missing or wrong "iss" (RFC 9207): it may come from another authorization server (mix-up attack) and was rejected.',
        { cause },
      );
    }
    return new McpOAuthError(
      'invalid_response',
      `${WHAT[operation]} got a response that does not conform to the specification: ${error.message}.`,
      { cause },
    );
  }
  if (error instanceof TypeError || error instanceof oauth.UnsupportedOperationError) {
    return new McpOAuthError('invalid_response', `${WHAT[operation]} failed: ${error.message}.`, {
      cause,
    });
  }
  return new McpOAuthError(FAILURE_CODE[operation], `${WHAT[operation]} failed.`, { cause });
}

function hint(code: McpOAuthErrorCode): string {
  switch (code) {
    case 'invalid_grant':
      return ' The grant is no longer valid: authorize again.';
    case 'registration_failed':
      return ' Register a client with the server by hand and pass its client id.';
    default:
      return '';
  }
}

function sanitized(error: unknown): Error | undefined {
  if (!(error instanceof Error)) return undefined;
  const copy = new Error(error.message);
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
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
