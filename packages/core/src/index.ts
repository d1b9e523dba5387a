// @mcp-oauth/core: what every application needs. The client, the in-memory store, the error
// type, and the types of the ports (fetch, store, interaction, events). Optional parts have
// their own entry points, so an application bundles only what it imports:
//   @mcp-oauth/core/device              deviceInteraction (RFC 8628)
//   @mcp-oauth/core/client-credentials  clientCredentials
//   @mcp-oauth/core/enterprise          enterpriseManaged (SEP-990: ID-JAG by RFC 8693, then RFC 7523)
//   @mcp-oauth/core/workload            workloadIdentity (RFC 7523 with the platform's token)
//   @mcp-oauth/core/dpop                dpop (RFC 9449)
//   @mcp-oauth/core/private-key-jwt     privateKeyJwt (RFC 7523 client authentication)
//   @mcp-oauth/core/management          introspection (RFC 7662), RFC 7592 registration management
//   @mcp-oauth/core/flow                the state machine and protocol helpers, for applications that drive the flow themselves
//   @mcp-oauth/core/store               the store port and key helpers, for store packages

// The high-level client
export type { PendingAuthorization } from './authorization/pending.ts';
export { createOAuthClient } from './client/create-client.ts';
export type { Identity } from './client/identity.ts';
export type { TokenInfo, TokenStatus } from './client/token-info.ts';
export type {
  AuthorizationParams,
  LogoutResult,
  McpOAuthClient,
  OAuthClientOptions,
} from './client/types.ts';
export type { ConfiguredAuthorizationServer } from './discovery/configured-authorization-server.ts';
export type { ServerQuirks } from './discovery/quirks.ts';
export type { DpopSupport } from './dpop/support.ts';
// Errors
export type { McpOAuthErrorCode } from './errors/codes.ts';
export { McpOAuthError, type McpOAuthErrorOptions } from './errors/error.ts';
export type { EventListener, McpOAuthEvent } from './events/types.ts';
export type { FlowState } from './flow/states.ts';
export type { IntrospectionResult } from './grants/introspection-request.ts';
export type { RateLimitOptions } from './http/rate-limit.ts';
// Ports
export type { FetchLike, FetchMiddleware } from './http/types.ts';
export type {
  ClientCredentialsInteraction,
  DeviceGrant,
  DeviceInteraction,
  DevicePrompt,
  EnterpriseManagedInteraction,
  Interaction,
  RedirectInteraction,
  TokenGrant,
  TokenInteraction,
  WorkloadIdentityInteraction,
} from './interaction/types.ts';
// Diagnostics channels (mcp-oauth:<event type>, mcp-oauth:http, mcp-oauth:lock)
export type { OAuthHttpRequest, OAuthRequestKind } from './observe/http-request.ts';
export type { StoreLockMessage } from './observe/observe-lock.ts';
export type { ClientConfig, PrivateJwk } from './registration/client-config.ts';
export type { RetryOptions } from './retry/with-retries.ts';
// Stores
export { type MemoryBacking, type MemoryStoreOptions, memoryStore } from './store/memory.ts';
export type {
  AliasRecord,
  ClientRecord,
  ClientSource,
  DiscoveryRecord,
  IdTokenClaims,
  TokensRecord,
} from './store/records.ts';
export type { JsonValue, LockOptions, StoreLock, StoreRecord, TokenStore } from './store/types.ts';
