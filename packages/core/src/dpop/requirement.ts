import { dpopOptionMissing } from '../discovery/dpop-option-missing.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { DiscoveryRecord } from '../store/records.ts';
import type { DpopMode } from './keys.ts';

/**
 * When the resource requires DPoP-bound tokens (RFC 9728 §2 `dpop_bound_access_tokens_required`),
 * the error that stops the flow before anyone is asked to consent: this client sends Bearer
 * tokens (mode `off`), or the authorization server does not offer DPoP, or the two servers share
 * no proof algorithm. Undefined when nothing stands in the way. (Without a `dpop` option at all,
 * core says so itself: discovery/dpop-option-missing.ts.)
 */
export function dpopRequirementError(
  discovery: DiscoveryRecord,
  mode: DpopMode,
): McpOAuthError | undefined {
  const resource = discovery.resourceMetadata;
  if (resource.dpop_bound_access_tokens_required !== true) return undefined;
  const server = discovery.resource;
  if (mode === 'off') return dpopOptionMissing(server);
  if (mode === 'always') return undefined; // forced: the token endpoint will say whether it can
  const offered = discovery.authorizationServerMetadata.dpop_signing_alg_values_supported ?? [];
  const taken = resource.dpop_signing_alg_values_supported ?? [];
  const details = {
    resource: server,
    issuer: discovery.issuer,
    offered: offered.join(' '),
    taken: taken.join(' '),
  };
  if (!offered.length) {
    return new McpOAuthError(
      'dpop_unavailable',
      `The MCP server ${server} accepts only DPoP-bound tokens, but its authorization server ${discovery.issuer} does not offer DPoP (its metadata has no dpop_signing_alg_values_supported). Ask the operators to enable DPoP there; forcing DPoP (dpop mode 'always') helps only if the server supports it without advertising it.`,
      { details: { ...details, option: 'dpop.mode' } },
    );
  }
  if (taken.length && !taken.some((alg) => offered.includes(alg))) {
    return new McpOAuthError(
      'dpop_unavailable',
      `The MCP server ${server} accepts DPoP proofs signed with ${taken.join(', ')} and its authorization server ${discovery.issuer} with ${offered.join(', ')}: no algorithm in common.`,
      { details },
    );
  }
  return undefined;
}
