import { McpOAuthError } from '../errors/error.ts';

/**
 * A new authorization that `reason` made necessary could not start for want of an
 * interaction: the error says why it was needed (the refresh token was rejected, ...) before
 * naming the `interaction` option; `details.reason` is the server's OAuth error when there
 * was one (`invalid_grant`). Other failures are returned as they are.
 */
export function reauthorizationFailure(failure: unknown, reason: McpOAuthError): unknown {
  if (
    !McpOAuthError.is(failure, 'interaction_required') ||
    failure.details.option !== 'interaction'
  )
    return failure;
  return new McpOAuthError('interaction_required', `${reason.message} ${failure.message}`, {
    cause: reason,
    details: { ...failure.details, reason: reason.oauthError ?? reason.code },
  });
}
