// The state machine and the protocol helpers, for applications that drive the flow themselves
// (`createOAuthClient` in `@mcp-oauth/core` is built on them): `createFlowContext` makes the
// ports the transitions take, `runFlow` drives them, `saveAuthorized` stores what they return.

export { selectScopes, unionScopes } from './authorization/scopes.ts';
export {
  type AuthorizationServerMetadata,
  authorizationServerMetadataUrls,
  type DiscoveredAuthorizationServer,
  fetchAuthorizationServerMetadata,
} from './discovery/authorization-server.ts';
export { canonicalResource, resourceCovers } from './discovery/canonical-resource.ts';
export {
  type DiscoveredResource,
  fetchProtectedResourceMetadata,
  type ProtectedResourceMetadata,
  protectedResourceMetadataUrls,
} from './discovery/protected-resource.ts';
export { QUIRK_NAMES, type ServerQuirks } from './discovery/quirks.ts';
export { type BearerChallenge, parseWwwAuthenticate } from './discovery/www-authenticate.ts';
export { OPTIONS_NAMED_BY_ERRORS, type OptionNamedByErrors } from './errors/options.ts';
export type { FlowContext } from './flow/context.ts';
export {
  createFlowContext,
  type FlowContextOptions,
} from './flow/create-flow-context.ts';
export { type DiscoverOptions, discover } from './flow/discover.ts';
export { runFlow } from './flow/run.ts';
export { saveAuthorized } from './flow/save-authorized.ts';
export type {
  AuthorizedState,
  AwaitingDeviceState,
  AwaitingRedirectState,
  DiscoveredState,
  FlowState,
  GrantKind,
  InteractionKind,
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
export type { GrantArgs } from './grants/grant-args.ts';
export { type HeadlessInteractionOptions, headlessInteraction } from './interaction/headless.ts';
export type { RetryOptions } from './retry/with-retries.ts';
