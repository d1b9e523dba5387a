import { buildAuthorizationRequest } from '../authorization/build-url.ts';
import { selectScopes } from '../authorization/scopes.ts';
import { dpopOptionMissing } from '../discovery/dpop-option-missing.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { OptionNamedByErrors } from '../errors/options.ts';
import { exchangeAuthorizationCode } from '../grants/authorization-code.ts';
import type { DeviceInteraction, Interaction, TokenInteraction } from '../interaction/types.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import { resolveClient } from '../registration/resolve-client.ts';
import { withRetries } from '../retry/with-retries.ts';
import { chooseInteraction } from './choose-interaction.ts';
import type { FlowContext } from './context.ts';
import { discover } from './discover.ts';
import type {
  AuthorizedState,
  AwaitingDeviceState,
  AwaitingRedirectState,
  DiscoveredState,
  InteractionKind,
  RegisteredState,
  StartState,
} from './states.ts';

/**
 * start → discovered: resource and authorization server metadata, the grant (the
 * start state's, or the first of `interactions` the server supports) and the scope.
 *
 * @example
 * ```ts
 * import { deviceInteraction } from '@mcp-oauth/core/device';
 * import { discoverTransition, type FlowContext } from '@mcp-oauth/core/flow';
 *
 * declare const ctx: FlowContext;
 * const interaction = deviceInteraction({ prompt: ({ userCode }) => console.error(userCode) });
 * const discovered = await discoverTransition(ctx, { step: 'start', serverUrl: 'https://mcp.example.com/mcp' }, [interaction]);
 * ```
 */
export async function discoverTransition(
  ctx: FlowContext,
  state: StartState,
  interactions: readonly Interaction[] = [],
  config: ClientConfig = {},
): Promise<DiscoveredState> {
  const discovery = await discover(ctx, state.serverUrl, {
    ...(state.resourceMetadataUrl ? { resourceMetadataUrl: state.resourceMetadataUrl } : {}),
    ...(state.rediscover ? { refresh: true } : {}),
  });
  // a capability both servers must agree on, checked before anyone is asked to consent
  // (the checks of both servers' algorithms come with the dpop option, from /dpop)
  if (discovery.resourceMetadata.dpop_bound_access_tokens_required === true) {
    const mismatch = ctx.dpop
      ? ctx.dpop.requirementError(discovery)
      : dpopOptionMissing(discovery.resource);
    if (mismatch) throw mismatch;
  }
  const grant: InteractionKind =
    state.grant ??
    chooseInteraction(interactions, discovery.authorizationServerMetadata, config).kind;
  const scope = selectScopes({
    requested: state.requestedScopes,
    challengeScope: state.challengeScope,
    resourceScopes: discovery.resourceMetadata.scopes_supported,
    serverScopes: discovery.authorizationServerMetadata.scopes_supported,
    // a grant without a person is simply run again when its tokens expire
    wantRefreshToken: grant === 'redirect' || grant === 'device',
  });
  return {
    step: 'discovered',
    serverUrl: state.serverUrl,
    grant,
    ...(state.requestedScopes ? { requestedScopes: state.requestedScopes } : {}),
    ...(state.authorizationParams ? { authorizationParams: state.authorizationParams } : {}),
    discovery,
    ...(scope ? { scope } : {}),
  };
}

/**
 * discovered → registered: the client for this issuer (pre-registered, CIMD, stored or
 * new DCR; a stored registration is confirmed with RFC 7592 first, where the server offers
 * it). `interaction` supplies the grant type of the device flow and of grants without a person.
 *
 * @example
 * ```ts
 * import { type DiscoveredState, type FlowContext, registerTransition } from '@mcp-oauth/core/flow';
 *
 * declare const ctx: FlowContext;
 * declare const discovered: DiscoveredState;
 * const registered = await registerTransition(ctx, discovered, { clientName: 'My MCP app' }, 'http://127.0.0.1:8912/callback');
 * ```
 */
export async function registerTransition(
  ctx: FlowContext,
  state: DiscoveredState,
  config: ClientConfig,
  redirectUri: string | undefined,
  interaction?: Interaction,
): Promise<RegisteredState> {
  if (state.grant === 'client-credentials' && !config.clientId) {
    throw new McpOAuthError(
      'invalid_configuration',
      'The client credentials grant needs a pre-registered client id with a secret or a private key.',
    );
  }
  let grantTypes: string[];
  if (state.grant === 'redirect') grantTypes = ['authorization_code', 'refresh_token'];
  else {
    const grant = interactionFor(state.grant, interaction).grant;
    grantTypes = state.grant === 'device' ? [grant.grantType, 'refresh_token'] : [grant.grantType];
  }
  const client = await resolveClient(ctx, state.discovery.authorizationServerMetadata, config, {
    redirectUri,
    grantTypes,
    // a person is about to be sent to the server: a registration it forgot is caught first
    confirm: state.grant === 'redirect' || state.grant === 'device',
  });
  return {
    step: 'registered',
    serverUrl: state.serverUrl,
    grant: state.grant,
    ...(state.requestedScopes ? { requestedScopes: state.requestedScopes } : {}),
    ...(state.authorizationParams ? { authorizationParams: state.authorizationParams } : {}),
    discovery: state.discovery,
    client,
    ...(state.scope ? { scope: state.scope } : {}),
    ...(redirectUri ? { redirectUri } : {}),
  };
}

/**
 * registered → awaiting_redirect | awaiting_device | authorized (grants without a person: client credentials, enterprise-managed, workload identity).
 *
 * @example
 * ```ts
 * import { beginTransition, type FlowContext, type RegisteredState } from '@mcp-oauth/core/flow';
 *
 * declare const ctx: FlowContext;
 * declare const registered: RegisteredState;
 * const next = await beginTransition(ctx, registered, {});
 * if (next.step === 'awaiting_redirect') console.error(`Open ${next.pending.authorizationUrl}`);
 * ```
 */
export async function beginTransition(
  ctx: FlowContext,
  state: RegisteredState,
  config: ClientConfig,
  interaction?: Interaction,
): Promise<AwaitingRedirectState | AwaitingDeviceState | AuthorizedState> {
  const as = state.discovery.authorizationServerMetadata;
  const base = {
    serverUrl: state.serverUrl,
    grant: state.grant,
    ...(state.requestedScopes ? { requestedScopes: state.requestedScopes } : {}),
    ...(state.authorizationParams ? { authorizationParams: state.authorizationParams } : {}),
    discovery: state.discovery,
    client: state.client,
  };
  const args = {
    as,
    client: state.client,
    config,
    resource: state.discovery.resource,
    resourceMetadata: state.discovery.resourceMetadata,
    scope: state.scope,
  };
  ctx.emit({
    type: 'authorization_started',
    issuer: as.issuer,
    resource: state.discovery.resource,
    scope: state.scope,
    via: state.grant,
  });
  if (state.grant === 'device') {
    const device = await interactionFor('device', interaction).grant.request(ctx, args);
    return {
      step: 'awaiting_device',
      ...base,
      ...(state.scope ? { scope: state.scope } : {}),
      device,
    };
  }
  if (state.grant !== 'redirect') {
    // client credentials, enterprise-managed, workload identity: no person
    const { grant } = interactionFor(state.grant, interaction);
    // retryable failures repeated: see retry/policy.ts (no state is consumed by these grants)
    const tokens = await withRetries(ctx, as.token_endpoint ?? as.issuer, () =>
      grant.token(ctx, args),
    );
    return { step: 'authorized', ...base, tokens, ...(state.scope ? { scope: state.scope } : {}) };
  }
  if (!state.redirectUri) {
    throw new McpOAuthError(
      'invalid_configuration',
      'The authorization code flow needs a redirect URI.',
    );
  }
  const pending = await buildAuthorizationRequest(ctx, {
    serverUrl: state.serverUrl,
    resource: state.discovery.resource,
    as,
    client: state.client,
    redirectUri: state.redirectUri,
    scope: state.scope,
    ...(state.authorizationParams ? { extraParams: state.authorizationParams } : {}),
  });
  return { step: 'awaiting_redirect', ...base, pending };
}

/**
 * awaiting_redirect → authorized: validates the callback (`state`, `iss` per RFC 9207) and
 * exchanges the code (RFC 6749 §4.1.3, with the PKCE verifier); the tokens are returned, not stored.
 *
 * @example
 * ```ts
 * import { type AwaitingRedirectState, completeRedirectTransition, type FlowContext } from '@mcp-oauth/core/flow';
 *
 * declare const ctx: FlowContext;
 * declare const waiting: AwaitingRedirectState;
 * declare const callbackUrl: string; // where the browser came back, with code and state
 * const authorized = await completeRedirectTransition(ctx, waiting, callbackUrl, {});
 * ```
 */
export async function completeRedirectTransition(
  ctx: FlowContext,
  state: AwaitingRedirectState,
  callbackUrl: string,
  config: ClientConfig,
): Promise<AuthorizedState> {
  const as = state.discovery.authorizationServerMetadata;
  // repeated only when the server certainly did not act on it (the code is single-use)
  const tokens = await withRetries(ctx, as.token_endpoint ?? as.issuer, () =>
    exchangeAuthorizationCode(ctx, {
      pending: state.pending,
      callbackUrl,
      as,
      resourceMetadata: state.discovery.resourceMetadata,
      client: state.client,
      config,
    }),
  );
  const { pending, step: _step, ...rest } = state;
  return {
    ...rest,
    step: 'authorized',
    tokens,
    ...(pending.scope ? { scope: pending.scope } : {}),
  };
}

/**
 * awaiting_device → authorized: polls the token endpoint until the person approves (RFC 8628 §3.4-3.5). The tokens are returned, not stored.
 *
 * @example
 * ```ts
 * import type { DeviceInteraction } from '@mcp-oauth/core';
 * import { type AwaitingDeviceState, completeDeviceTransition, type FlowContext } from '@mcp-oauth/core/flow';
 *
 * declare const ctx: FlowContext;
 * declare const waiting: AwaitingDeviceState;
 * declare const interaction: DeviceInteraction;
 * const authorized = await completeDeviceTransition(ctx, waiting, {}, interaction);
 * ```
 */
export async function completeDeviceTransition(
  ctx: FlowContext,
  state: AwaitingDeviceState,
  config: ClientConfig,
  interaction: DeviceInteraction,
): Promise<AuthorizedState> {
  const tokens = await interaction.grant.poll(ctx, {
    as: state.discovery.authorizationServerMetadata,
    client: state.client,
    config,
    resource: state.discovery.resource,
    resourceMetadata: state.discovery.resourceMetadata,
    scope: state.scope,
    device: state.device,
  });
  const { device: _device, step: _step, ...rest } = state;
  return { ...rest, step: 'authorized', tokens };
}

function interactionFor(kind: 'device', interaction: Interaction | undefined): DeviceInteraction;
function interactionFor(
  kind: TokenInteraction['kind'],
  interaction: Interaction | undefined,
): TokenInteraction;
function interactionFor(
  kind: Exclude<InteractionKind, 'redirect'>,
  interaction: Interaction | undefined,
): DeviceInteraction | TokenInteraction;
function interactionFor(
  kind: Exclude<InteractionKind, 'redirect'>,
  interaction: Interaction | undefined,
) {
  if (interaction?.kind !== kind) {
    throw new McpOAuthError(
      'interaction_required',
      `The ${kind} grant needs its interaction in the \`interaction\` option.`,
      { details: { option: 'interaction' satisfies OptionNamedByErrors } },
    );
  }
  return interaction;
}
