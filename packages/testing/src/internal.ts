/**
 * `@mcp-oauth/testing/internal`: helpers the project's own tests use that are not a stable
 * public API (they reach into oidc-provider's internals and may change in any release).
 */
export {
  enableIdJagTokenExchange,
  enableJwtBearerGrant,
  JWT_BEARER,
  type JwtSigner,
  jwtSigner,
  signInAtIdp,
  TOKEN_EXCHANGE,
  type TrustedAssertionIssuer,
} from './jwt-grants.ts';
export { tokenHash } from './mcp-stats.ts';
