// The high-level client

export type { PendingAuthorization } from './authorization/pending.ts';
export { selectScopes, unionScopes } from './authorization/scopes.ts';
export {
  createOAuthClient,
  type LogoutResult,
  type McpOAuthClient,
  type OAuthClientOptions,
} from './client/create-client.ts';
export { introspect } from './client/introspect.ts';
export { deleteRegistration, readRegistration, updateRegistration } from './client/registration.ts';
export type { TokenInfo } from './client/token-info.ts';
// Discovery
export {
  type AuthorizationServerMetadata,
  authorizationServerMetadataUrls,
  type DiscoveredAuthorizationServer,
  discoverAuthorizationServer,
} from './discovery/authorization-server.ts';
export { canonicalResource, resourceCovers } from './discovery/canonical-resource.ts';
export {
  type DiscoveredResource,
  discoverProtectedResource,
  type ProtectedResourceMetadata,
  protectedResourceMetadataUrls,
} from './discovery/protected-resource.ts';
export { QUIRK_NAMES, type ServerQuirks } from './discovery/quirks.ts';
export { type BearerChallenge, parseWwwAuthenticate } from './discovery/www-authenticate.ts';
export { type DpopOptions, type DpopSupport, dpop } from './dpop/support.ts';
// Errors
export type { McpOAuthErrorCode } from './errors/codes.ts';
export { McpOAuthError, type McpOAuthErrorOptions } from './errors/error.ts';
export type { EventListener, McpOAuthEvent } from './events/types.ts';
// The state machine, for applications that drive the flow themselves
export type { FlowContext } from './flow/context.ts';
export { type DiscoverOptions, discover } from './flow/discover.ts';
export { runFlow } from './flow/run.ts';
export type {
  AuthorizedState,
  AwaitingDeviceState,
  AwaitingRedirectState,
  DiscoveredState,
  FlowState,
  GrantKind,
  RegisteredState,
  StartState,
} from './flow/states.ts';
export {
  beginTransition,
  completeDeviceTransition,
  completeRedirectTransition,
  discoverTransition,
  registerTransition,
} from './flow/transitions.ts';
export type { DeviceAuthorization } from './grants/device-authorization.ts';
export type { IntrospectionResult } from './grants/introspect.ts';
// Ports
export type { FetchLike } from './http/types.ts';
export { clientCredentials } from './interaction/client-credentials.ts';
export { deviceInteraction } from './interaction/device.ts';
export { type HeadlessInteractionOptions, headlessInteraction } from './interaction/headless.ts';
export type {
  ClientCredentialsInteraction,
  DeviceInteraction,
  DevicePrompt,
  Interaction,
  RedirectInteraction,
} from './interaction/types.ts';
// Registration, grants
export type { ClientConfig, PrivateJwk } from './registration/client-config.ts';
export { storeKeys } from './store/keys.ts';
// Stores
export {
  createMemoryBacking,
  type MemoryBacking,
  type MemoryStoreOptions,
  memoryStore,
} from './store/memory.ts';
export type { AliasRecord, ClientRecord, DiscoveryRecord, TokensRecord } from './store/records.ts';
export type { JsonValue, LockOptions, StoreLock, StoreRecord, TokenStore } from './store/types.ts';
export { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_LOCK_TTL_MS, MAX_KEY_LENGTH } from './store/types.ts';
export { assertValidKey } from './store/validate-key.ts';
