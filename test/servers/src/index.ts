export { type ApproveDeviceOptions, approveDevice } from './approve-device.ts';
export {
  type AuthServer,
  type AuthServerOptions,
  startAuthorizationServer,
} from './auth-server.ts';
export type { AuthServerStats } from './auth-stats.ts';
export type { FetchLike } from './browser.ts';
export {
  type CompleteAuthorizationOptions,
  completeAuthorization,
} from './complete-authorization.ts';
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
export { createJwtVerifier, type TokenIssuer } from './jwt-verifier.ts';
export {
  type McpServerOptions,
  type McpTestServer,
  startMcpServer,
} from './mcp-server.ts';
export { type McpServerStats, tokenHash } from './mcp-stats.ts';
export {
  type ObtainedTokens,
  type ObtainTokensOptions,
  obtainTokens,
} from './obtain-tokens.ts';
export { secretCollectingFetch, serializeAll } from './secret-collecting-fetch.ts';
export { type Stack, startStack } from './stack.ts';
export {
  endlessBody,
  repeatedBody,
  type StaticRoute,
  type StaticRoutes,
  type StaticServer,
  type StaticServerOptions,
  startStaticServer,
} from './static-server.ts';
export type { ToolScopes } from './step-up.ts';
