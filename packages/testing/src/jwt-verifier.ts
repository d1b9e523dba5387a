import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { createLocalJWKSet, createRemoteJWKSet, type JWK, jwtVerify } from 'jose';

/** Where the resource server finds the authorization server's signing keys. */
export interface TokenIssuer {
  issuer: string;
  jwksUri: string;
  /** When given, keys are used directly (no JWKS request); otherwise fetched from `jwksUri`. */
  publicJwks?: { keys: JWK[] } | undefined;
}

/**
 * Verifies RFC 9068 JWT access tokens with jose: RS256 signature against the issuer's keys,
 * `iss` = the issuer, `aud` = the resource exactly, `exp` (no clock tolerance). Any failure is
 * an `InvalidTokenError`, which `requireBearerAuth` answers with 401 `invalid_token`.
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
        const reason = error instanceof Error ? error.message : 'invalid token';
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
