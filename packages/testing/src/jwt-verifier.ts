import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { createLocalJWKSet, createRemoteJWKSet, type JWK, jwtVerify } from 'jose';

/**
 * Where the resource server finds the authorization server's signing keys. An `AuthServer`
 * fits.
 *
 * @example
 * ```ts
 * import { createJwtVerifier, type TokenIssuer } from '@mcp-oauth/testing';
 *
 * const issuer: TokenIssuer = {
 *   issuer: 'https://auth.example.com',
 *   jwksUri: 'https://auth.example.com/jwks',
 * };
 * const verifier = createJwtVerifier(issuer, 'https://mcp.example.com/mcp');
 * ```
 */
export interface TokenIssuer {
  /** The `iss` the tokens must carry. */
  issuer: string;
  /** The issuer's JWKS URL. */
  jwksUri: string;
  /** When given, keys are used directly (no JWKS request); otherwise fetched from `jwksUri`. */
  publicJwks?:
    | {
        /** The public signing keys (JWK). */
        keys: JWK[];
      }
    | undefined;
}

/**
 * Verifies RFC 9068 JWT access tokens with jose: RS256 signature against the issuer's keys,
 * `iss` = the issuer, `aud` = the resource exactly, `exp` (no clock tolerance). Any failure is
 * an `InvalidTokenError`, which `requireBearerAuth` answers with 401 `invalid_token`.
 *
 * @example
 * ```ts
 * import { createJwtVerifier, startAuthorizationServer } from '@mcp-oauth/testing';
 * import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
 *
 * await using as = await startAuthorizationServer();
 * const verifier = createJwtVerifier(as, 'http://127.0.0.1:3000/mcp');
 * const auth = requireBearerAuth({ verifier }); // express middleware for your own MCP server
 * ```
 */
export function createJwtVerifier(issuer: TokenIssuer, resource: string): OAuthTokenVerifier {
  const keys = issuer.publicJwks
    ? createLocalJWKSet(issuer.publicJwks)
    : createRemoteJWKSet(new URL(issuer.jwksUri));
  return {
    async verifyAccessToken(token) {
      let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: issuer.issuer,
          audience: resource,
          algorithms: ['RS256'],
          requiredClaims: ['exp'],
        }));
      } catch (error) {
        // no double quotes: the SDK writes the message into the challenge's quoted
        // error_description as is, and jose's ('"exp" claim timestamp check failed') would end it
        // early, dropping the parameters after it (resource_metadata)
        const reason = (error instanceof Error ? error.message : 'invalid token').replaceAll(
          '"',
          "'",
        );
        throw new InvalidTokenError(`Invalid access token: ${reason}`);
      }
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      return {
        token,
        clientId: String(payload.client_id ?? ''),
        scopes: scope.split(' ').filter(Boolean),
        expiresAt: payload.exp as number,
        resource: new URL(resource),
        extra: { sub: payload.sub },
      };
    },
  };
}
