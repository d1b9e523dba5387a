import { McpOAuthError } from '../errors/error.ts';
import type { Interaction } from '../interaction/types.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import type { FlowContext } from './context.ts';
import type { AuthorizedState, FlowState, GrantKind, StartState } from './states.ts';
import {
  beginTransition,
  completeDeviceTransition,
  completeRedirectTransition,
  discoverTransition,
  registerTransition,
} from './transitions.ts';

/** Which grant a flow uses, given the configuration. */
export function grantFor(
  config: ClientConfig,
  interaction: Interaction | undefined,
  explicit?: GrantKind,
): GrantKind {
  if (explicit) return explicit;
  if (interaction?.kind === 'device') return 'device_code';
  if (interaction?.kind === 'redirect') return 'authorization_code';
  if (config.clientId && (config.clientSecret || config.privateKey)) return 'client_credentials';
  throw new McpOAuthError(
    'interaction_required',
    'Authorization is needed, but no interaction was configured: pass a redirect interaction (such as @mcp-oauth/loopback), a device interaction, or client credentials.',
  );
}

/**
 * Drives the state machine from `start` to `authorized`, handing the person's
 * part to the interaction. Every intermediate state is a plain value.
 */
export async function runFlow(
  ctx: FlowContext,
  start: StartState,
  config: ClientConfig,
  interaction: Interaction | undefined,
  options: { onState?: (state: FlowState) => void; minDevicePollIntervalMs?: number } = {},
): Promise<AuthorizedState> {
  const on = options.onState ?? (() => {});
  on(start);
  const discovered = await discoverTransition(ctx, start, config);
  on(discovered);
  let redirectUri: string | undefined;
  if (discovered.grant === 'authorization_code') {
    if (interaction?.kind !== 'redirect')
      throw new McpOAuthError(
        'interaction_required',
        'The authorization code flow needs a redirect interaction.',
      );
    redirectUri = (await interaction.prepare()).redirectUri;
  }
  try {
    const registered = await registerTransition(ctx, discovered, config, redirectUri);
    on(registered);
    const begun = await beginTransition(ctx, registered, config);
    on(begun);
    if (begun.step === 'authorized') return begun;
    if (begun.step === 'awaiting_redirect') {
      if (interaction?.kind !== 'redirect')
        throw new McpOAuthError('interaction_required', 'A redirect interaction is needed.');
      const callbackUrl = await interaction.authorize({
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
    if (interaction?.kind !== 'device')
      throw new McpOAuthError('interaction_required', 'A device interaction is needed.');
    ctx.emit({
      type: 'device_code',
      verificationUri: begun.device.verificationUri,
      verificationUriComplete: begun.device.verificationUriComplete,
      userCode: begun.device.userCode,
      expiresAt: begun.device.expiresAt,
    });
    await interaction.prompt({
      verificationUri: begun.device.verificationUri,
      ...(begun.device.verificationUriComplete
        ? { verificationUriComplete: begun.device.verificationUriComplete }
        : {}),
      userCode: begun.device.userCode,
      expiresAt: begun.device.expiresAt,
    });
    const done = await completeDeviceTransition(
      ctx,
      begun,
      config,
      options.minDevicePollIntervalMs,
    );
    on(done);
    return done;
  } catch (error) {
    if (interaction?.kind === 'redirect') await interaction.dispose?.().catch(() => {});
    throw error;
  }
}
