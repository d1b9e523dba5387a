import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { OptionNamedByErrors } from '../errors/options.ts';
import { grantTypeOf, type Interaction, type TokenInteraction } from '../interaction/types.ts';
import type { ClientConfig } from '../registration/client-config.ts';

/**
 * The interaction to use with this authorization server: the first, in the
 * application's order of preference, whose grant the server lists in
 * `grant_types_supported` (all of them when it lists none). An interaction that says it
 * is unusable with this configuration (client credentials without a pre-registered
 * client's secret or key, for instance) is skipped.
 */
export function chooseInteraction(
  interactions: readonly Interaction[],
  as: AuthorizationServerMetadata,
  config: ClientConfig,
): Interaction {
  const unusable = (i: Interaction | undefined) =>
    (i as Partial<TokenInteraction> | undefined)?.unusable?.(config);
  const usable = interactions.filter((i) => !unusable(i));
  const supported = as.grant_types_supported;
  const chosen = Array.isArray(supported)
    ? usable.find((i) => supported.includes(grantTypeOf(i)))
    : usable[0];
  const fallback = chosen ?? usable[0];
  if (!fallback) {
    const first = interactions[0];
    if (!first) {
      throw new McpOAuthError(
        'interaction_required',
        'Authorization is needed and no interaction is configured. Pass a redirect interaction (e.g. loopbackInteraction() from @mcp-oauth/loopback), deviceInteraction(), or clientCredentials() with a client id and secret in the `interaction` option.',
        { details: { option: 'interaction' satisfies OptionNamedByErrors } },
      );
    }
    // every interaction is unusable: the first one says why
    throw new McpOAuthError('interaction_required', unusable(first) as string);
  }
  return fallback;
}
