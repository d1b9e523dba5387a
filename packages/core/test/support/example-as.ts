import type { AuthorizationServerMetadata } from '../../src/discovery/authorization-server.ts';

/** The issuer of the example authorization server the unit tests fake. */
export const ISSUER = 'https://as.example';
/** The example MCP server those tests protect. */
export const RESOURCE = 'https://mcp.example/mcp';

/** Metadata of the example authorization server: the endpoints every flow needs, plus `extra`. */
export function exampleAs(
  extra: Partial<AuthorizationServerMetadata> = {},
): AuthorizationServerMetadata {
  return {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/authorize`,
    token_endpoint: `${ISSUER}/token`,
    code_challenge_methods_supported: ['S256'],
    ...extra,
  };
}
