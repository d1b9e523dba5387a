import { McpOAuthError } from '../errors/error.ts';
import { type IntrospectionResult, introspectToken } from '../grants/introspect.ts';
import type { McpOAuthClient } from './create-client.ts';
import { internalsOf } from './internals.ts';

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
  const { ctx, session, config, reported } = internalsOf(client);
  return reported(async () => {
    const tokens = await session.requireTokens();
    const discovery = await session.requireDiscovery();
    const token = which === 'refresh_token' ? tokens.refreshToken : tokens.accessToken;
    if (!token)
      throw new McpOAuthError('introspection_failed', 'There is no refresh token to introspect.');
    return introspectToken(ctx, {
      as: discovery.authorizationServerMetadata,
      client: await session.clientFor(discovery),
      config,
      token,
      hint: which,
    });
  });
}
