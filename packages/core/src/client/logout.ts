import { ensureMcpOAuthError, McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import { revokeToken } from '../grants/revoke.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import { clientRejected, rejectsClient } from '../registration/rejects-client.ts';
import { clientFor } from '../session/client-for.ts';
import { loadTokens, requireDiscovery } from '../session/load-tokens.ts';
import { forget, type ServerSession } from '../session/session.ts';
import { storeKeys } from '../store/keys.ts';
import type { LogoutResult } from './types.ts';

/**
 * RFC 7009 revocation of the refresh token, then of the access token (unless `revoke` is
 * false), then local deletion, always: a failed revocation is a warning, never a reason to
 * keep tokens the user asked to forget.
 */
export async function logout(
  ctx: FlowContext,
  session: ServerSession,
  config: ClientConfig,
  o: { revoke?: boolean },
): Promise<LogoutResult> {
  const result: LogoutResult = { revoked: [], warnings: [] };
  const tokens = await loadTokens(session);
  if (!tokens) return result;
  if (o.revoke !== false) {
    const discovery = await requireDiscovery(session);
    const found = await clientFor(session, discovery, tokens.clientId).catch((error: unknown) => {
      result.warnings.push(
        ensureMcpOAuthError(error, 'revocation_failed', 'No client to revoke with.'),
      );
      return undefined;
    });
    // tokens are revoked only by the client they were issued to (RFC 7009 §2.1)
    const client = found?.clientId === tokens.clientId ? found : undefined;
    if (found && !client)
      result.warnings.push(
        new McpOAuthError(
          'revocation_failed',
          'The tokens were issued to a client registration that is no longer stored, and no other may revoke them: they stay valid at the authorization server until they expire.',
        ),
      );
    const pairs = [
      ['refresh_token', tokens.refreshToken],
      ['access_token', tokens.accessToken],
    ] as const;
    for (const [hint, token] of pairs) {
      if (!token || !client) continue;
      try {
        // One attempt: a logout does not wait for a server in maintenance (RFC 7009 §2.2.1: a 503
        // has not revoked); the failure is a warning whose `retryable` and `Retry-After` tell
        // the caller it may revoke again later.
        await revokeToken(ctx, {
          as: discovery.authorizationServerMetadata,
          client,
          config,
          token,
          hint,
        });
        result.revoked.push(hint);
        ctx.emit({ type: 'revoked', issuer: discovery.issuer, tokenTypeHint: hint });
      } catch (error) {
        if (rejectsClient(error)) {
          // the server no longer knows the client (its registration is dropped): nothing
          // more can be revoked with it
          result.warnings.push(await clientRejected(ctx, client, error));
          break;
        }
        // RFC 7009 §2.1: revoking the refresh token also ends the grant's access tokens; a server
        // that cannot revoke (self-contained) access tokens then says unsupported_token_type.
        const covered =
          hint === 'access_token' &&
          result.revoked.includes('refresh_token') &&
          McpOAuthError.isInstance(error) &&
          error.oauthError === 'unsupported_token_type';
        if (!covered)
          result.warnings.push(
            ensureMcpOAuthError(error, 'revocation_failed', 'Revocation failed.'),
          );
      }
    }
  }
  await ctx.store.delete(storeKeys.tokens(tokens.issuer, tokens.resource));
  forget(session);
  ctx.emit({
    type: 'tokens_deleted',
    issuer: tokens.issuer,
    resource: tokens.resource,
    reason: 'logout',
  });
  return result;
}
