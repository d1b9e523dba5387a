import { McpOAuthError } from '../errors/error.ts';
import type { OptionNamedByErrors } from '../errors/options.ts';
import type { DeviceInteraction, Interaction, RedirectInteraction } from '../interaction/types.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import { clientRejected, rejectsClient } from '../registration/rejects-client.ts';
import type { FlowContext } from './context.ts';
import type { AuthorizedState, FlowState, RegisteredState, StartState } from './states.ts';
import {
  beginTransition,
  completeDeviceTransition,
  completeRedirectTransition,
  discoverTransition,
  registerTransition,
} from './transitions.ts';

/**
 * Drives the state machine from `start` to `authorized`, handing the person's part
 * to the chosen interaction (the first of `interactions` the server supports).
 * Every intermediate state is a plain value. When the server answers `invalid_client`, the
 * failure is the one `clientRejected` reports (a dynamic registration is dropped).
 *
 * @example
 * ```ts
 * import { deviceInteraction } from '@mcp-oauth/core/device';
 * import { type FlowContext, runFlow } from '@mcp-oauth/core/flow';
 *
 * declare const ctx: FlowContext;
 * const authorized = await runFlow(
 *   ctx,
 *   { step: 'start', serverUrl: 'https://mcp.example.com/mcp' },
 *   { clientName: 'My MCP app' },
 *   deviceInteraction({ prompt: ({ verificationUri, userCode }) => console.error(verificationUri, userCode) }),
 *   { onState: (state) => console.error(state.step) },
 * );
 * ```
 */
export async function runFlow(
  ctx: FlowContext,
  start: StartState,
  config: ClientConfig,
  interactions: Interaction | readonly Interaction[] | undefined,
  options: { onState?: (state: FlowState) => void } = {},
): Promise<AuthorizedState> {
  // falsy (not only undefined) reads as none: createOAuthClient passes its options through
  const available: readonly Interaction[] = !interactions
    ? []
    : Array.isArray(interactions)
      ? interactions
      : [interactions as Interaction];
  const on = options.onState || (() => {});
  on(start);
  const discovered = await discoverTransition(ctx, start, available, config);
  on(discovered);
  const interaction = available.find((i) => i.kind === discovered.grant);
  let redirectUri: string | undefined;
  if (interaction?.kind === 'redirect') redirectUri = (await interaction.prepare()).redirectUri;
  else if (discovered.grant === 'redirect') {
    throw new McpOAuthError(
      'interaction_required',
      'The authorization code flow needs a redirect interaction in the `interaction` option.',
      { details: { option: 'interaction' satisfies OptionNamedByErrors } },
    );
  }
  let registered: RegisteredState | undefined;
  try {
    registered = await registerTransition(ctx, discovered, config, redirectUri, interaction);
    on(registered);
    const begun = await beginTransition(ctx, registered, config, interaction);
    on(begun);
    if (begun.step === 'authorized') return begun;
    // The grant is the interaction's (checked above for redirect, by beginTransition for device).
    if (begun.step === 'awaiting_redirect') {
      const callbackUrl = await (interaction as RedirectInteraction).authorize({
        authorizationUrl: begun.pending.authorizationUrl,
        expectedState: begun.pending.state,
        expectedIssuer: begun.pending.issuer,
        issuerRequired:
          begun.discovery.authorizationServerMetadata
            .authorization_response_iss_parameter_supported === true,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      const done = await completeRedirectTransition(ctx, begun, callbackUrl, config);
      on(done);
      return done;
    }
    const { device } = begun;
    ctx.emit({
      type: 'device_code',
      verificationUri: device.verificationUri,
      verificationUriComplete: device.verificationUriComplete,
      userCode: device.userCode,
      expiresAt: device.expiresAt,
    });
    await (interaction as DeviceInteraction).prompt({
      verificationUri: device.verificationUri,
      ...(device.verificationUriComplete
        ? { verificationUriComplete: device.verificationUriComplete }
        : {}),
      userCode: device.userCode,
      expiresAt: device.expiresAt,
    });
    const done = await completeDeviceTransition(
      ctx,
      begun,
      config,
      interaction as DeviceInteraction,
    );
    on(done);
    return done;
  } catch (error) {
    if (interaction?.kind === 'redirect') await interaction.dispose?.().catch(() => {});
    throw registered && rejectsClient(error)
      ? await clientRejected(ctx, registered.client, error)
      : error;
  }
}
