import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import type { ClientRecord } from '../store/records.ts';

/**
 * True when the authorization server refused the client itself (RFC 6749 §5.2
 * `invalid_client`): from the token, device authorization or revocation endpoint, or in
 * an authorization error response. The server may have forgotten the registration
 * (restarted with an in-memory client store, a registration past its lifetime, deleted
 * by an admin), or the client's credentials are wrong.
 */
export function rejectsClient(error: unknown): error is McpOAuthError {
  return McpOAuthError.isInstance(error) && error.oauthError === 'invalid_client';
}

/**
 * The error to report after the server answered `invalid_client` about `client` (see
 * `reportRejectedClient`); loaded on this error path only, so applications do not bundle it
 * into their first chunk.
 */
export async function clientRejected(
  ctx: FlowContext,
  client: ClientRecord,
  error: McpOAuthError,
): Promise<McpOAuthError> {
  const { reportRejectedClient } = await import('./drop-registration.ts');
  return reportRejectedClient(ctx, client, error);
}
