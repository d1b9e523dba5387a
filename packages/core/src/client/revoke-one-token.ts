import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import { revokeToken } from '../grants/revoke.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import { clientFor } from '../session/client-for.ts';
import { loadTokens, requireDiscovery } from '../session/load-tokens.ts';
import type { ServerSession } from '../session/session.ts';

/**
 * RFC 7009 revocation of one token the application names (a token it kept, or one of this
 * client's). Stored tokens are left as they are: `logout()` revokes and forgets them.
 * One attempt, as in `logout` (RFC 7009 §2.2.1: a 503 has not revoked); the failure's
 * `retryable` and `Retry-After` tell the caller it may try again later.
 */
export async function revokeOneToken(
  ctx: FlowContext,
  session: ServerSession,
  config: ClientConfig,
  token: string,
  hint: 'access_token' | 'refresh_token' | undefined,
): Promise<void> {
  if (typeof token !== 'string' || !token)
    throw new McpOAuthError('invalid_configuration', 'revokeToken needs the token to revoke.');
  const discovery = await requireDiscovery(session);
  const held = await loadTokens(session);
  const client = await clientFor(session, discovery, held?.clientId);
  // without a hint, one of this client's own tokens is named for what it is (RFC 7009 §2.1)
  if (!hint) {
    hint =
      held?.refreshToken === token
        ? 'refresh_token'
        : held?.accessToken === token
          ? 'access_token'
          : undefined;
  }
  await revokeToken(ctx, {
    as: discovery.authorizationServerMetadata,
    client,
    config,
    token,
    ...(hint ? { hint } : {}),
  });
  ctx.emit({ type: 'revoked', issuer: discovery.issuer, ...(hint ? { tokenTypeHint: hint } : {}) });
}
