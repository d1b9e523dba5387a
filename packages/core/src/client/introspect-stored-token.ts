import { McpOAuthError } from '../errors/error.ts';
import { type IntrospectionResult, introspectToken } from '../grants/introspection-request.ts';
import { withRetries } from '../retry/with-retries.ts';
import { clientFor } from '../session/client-for.ts';
import { requireDiscovery, requireTokens } from '../session/load-tokens.ts';
import type { McpOAuthClient } from './types.ts';

/**
 * RFC 7662 introspection of the client's stored access (or refresh) token. The result carries no token.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { introspect } from '@mcp-oauth/core/management';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * const result = await introspect(oauth);
 * if (!result.active) console.error('the server no longer accepts the access token');
 * ```
 */
export function introspect(
  client: McpOAuthClient,
  which: 'access_token' | 'refresh_token' = 'access_token',
): Promise<IntrospectionResult> {
  const { ctx, session, config, reported } = client.internals;
  return reported(async () => {
    const tokens = await requireTokens(session);
    const discovery = await requireDiscovery(session);
    const token = which === 'refresh_token' ? tokens.refreshToken : tokens.accessToken;
    if (!token)
      throw new McpOAuthError('introspection_failed', 'There is no refresh token to introspect.');
    const as = discovery.authorizationServerMetadata;
    const client = await clientFor(session, discovery, tokens.clientId);
    // read-only: repeated after any transient failure (retry/policy.ts)
    return withRetries(ctx, as.introspection_endpoint ?? as.issuer, () =>
      introspectToken(ctx, { as, client, config, token, hint: which }),
    );
  });
}
