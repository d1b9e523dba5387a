import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { OptionNamedByErrors } from '../errors/options.ts';
import { grantTypeOf, type Interaction } from '../interaction/types.ts';
import type { ClientConfig } from '../registration/client-config.ts';

/**
 * The interaction to use with this authorization server: the first, in the
 * application's order of preference, whose grant the server lists in
 * `grant_types_supported` (all of them when it lists none). Client credentials need
 * a pre-registered client with a secret or key; without one they are skipped.
 */
export function chooseInteraction(
  interactions: readonly Interaction[],
  as: AuthorizationServerMetadata,
  config: ClientConfig,
): Interaction {
  const usable = interactions.filter(
    (i) =>
      i.kind !== 'client-credentials' ||
      Boolean(config.clientId && (config.clientSecret || config.privateKey)),
  );
  const supported = as.grant_types_supported;
  const chosen = Array.isArray(supported)
    ? usable.find((i) => supported.includes(grantTypeOf(i)))
    : usable[0];
  const fallback = chosen ?? usable[0];
  if (!fallback) {
    if (interactions.length === 0) {
      throw new McpOAuthError(
        'interaction_required',
        'Authorization is needed and no interaction is configured. Pass a redirect interaction (e.g. loopbackInteraction() from @mcp-oauth/loopback), deviceInteraction(), or clientCredentials() with a client id and secret in the `interaction` option.',
        { details: { option: 'interaction' satisfies OptionNamedByErrors } },
      );
    }
    throw new McpOAuthError(
      'interaction_required',
      'The client credentials grant needs a pre-registered client id with a secret or a private key.',
    );
  }
  return fallback;
}
