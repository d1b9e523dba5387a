import type { StaticRoute } from '@mcp-oauth/testing';

/**
 * The metadata routes of a static MCP server at `<origin>/mcp` that is its own authorization
 * server (RFC 9728 and RFC 8414 documents, S256), with `as` added to the authorization server's
 * document: what tests that play a server's answers start from.
 */
export function resourceOnItsOwnOrigin(
  origin: string,
  as: Record<string, unknown> = {},
): Record<string, StaticRoute> {
  return {
    '/.well-known/oauth-protected-resource/mcp': {
      body: { resource: `${origin}/mcp`, authorization_servers: [origin] },
    },
    '/.well-known/oauth-authorization-server': {
      body: {
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        code_challenge_methods_supported: ['S256'],
        ...as,
      },
    },
  };
}
