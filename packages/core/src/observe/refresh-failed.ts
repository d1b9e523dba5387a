import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import type { TokensRecord } from '../store/records.ts';

/**
 * Reports a failed refresh of `stale` (`refresh_failed`, with its reason) and rethrows the
 * error. Loaded when a refresh fails.
 */
export function refreshFailed(ctx: FlowContext, stale: TokensRecord, error: unknown): never {
  const code = McpOAuthError.isInstance(error) ? error.code : 'invalid_response';
  ctx.emit({
    type: 'refresh_failed',
    issuer: stale.issuer,
    resource: stale.resource,
    code,
    reason: (McpOAuthError.isInstance(error) && error.oauthError) || code,
  });
  throw error;
}
