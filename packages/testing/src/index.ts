export { type ApproveDeviceOptions, approveDevice } from './approve-device.ts';
export {
  type AuthServer,
  type AuthServerOptions,
  type AuthServerSettings,
  startAuthorizationServer,
} from './auth-server.ts';
export type { AuthServerStats } from './auth-stats.ts';
export type { FetchLike } from './browser.ts';
export {
  type CompleteAuthorizationOptions,
  completeAuthorization,
} from './complete-authorization.ts';
export { createJwtVerifier, type TokenIssuer } from './jwt-verifier.ts';
export {
  type LegacySseServer,
  type LegacySseServerOptions,
  startLegacySseServer,
} from './legacy-sse-server.ts';
export {
  type McpServerOptions,
  type McpTestServer,
  startMcpServer,
} from './mcp-server.ts';
export type { McpServerStats } from './mcp-stats.ts';
export {
  type ObtainedTokens,
  type ObtainTokensOptions,
  obtainTokens,
} from './obtain-tokens.ts';
export type { GrantFilter } from './revoke-grants.ts';
export { secretCollectingFetch, serializeAll } from './secret-collecting-fetch.ts';
export { type Stack, startStack } from './stack.ts';
export {
  type McpOAuthCounters,
  type McpOAuthServers,
  type McpOAuthServersOptions,
  startMcpOAuthServers,
} from './start-servers.ts';
export {
  endlessBody,
  repeatedBody,
  type StaticBodyChunk,
  type StaticRoute,
  type StaticRoutes,
  type StaticServer,
  type StaticServerOptions,
  startStaticServer,
} from './static-server.ts';
export type { ToolScopes } from './step-up.ts';
export type { TokenFault } from './token-faults.ts';
