import { negotiateDpopAlgorithm, resourceTakesDpop } from '@mcp-oauth/core/dpop';
import { error } from './checks.ts';
import type { DpopReport, InspectReport, Problem } from './report.ts';

/**
 * DPoP needs both servers (RFC 9449, RFC 9728 §2): what each side says, what `--dpop auto`
 * sends, and the mismatches a user should know of, each naming the flag when one helps.
 */
export function checkDpop(
  offered: string[],
  resource: InspectReport['resourceMetadata'],
  challenge: InspectReport['challenge'],
): { report: DpopReport; problems: Problem[] } {
  const side = {
    metadata: {
      ...(resource.dpopSigningAlgValuesSupported
        ? { dpop_signing_alg_values_supported: resource.dpopSigningAlgValuesSupported }
        : {}),
      dpop_bound_access_tokens_required: resource.dpopBoundAccessTokensRequired,
    },
    challenged: challenge.dpopAlgs,
  };
  const takes = resourceTakesDpop(side);
  const requires = resource.dpopBoundAccessTokensRequired;
  const alg = negotiateDpopAlgorithm('auto', { dpop_signing_alg_values_supported: offered }, side);
  const report: DpopReport = {
    authorizationServer: offered,
    resource: {
      takes,
      requires,
      algs: [
        ...new Set([
          ...(resource.dpopSigningAlgValuesSupported ?? []),
          ...(challenge.dpopAlgs ?? []),
        ]),
      ],
    },
    auto: { tokens: alg ? 'dpop' : 'bearer', alg },
  };
  const problems: Problem[] = [];
  if (requires && !alg) {
    problems.push(
      error(
        'dpop_unavailable',
        offered.length
          ? `The MCP server accepts only DPoP-bound tokens, signed with ${report.resource.algs.join(', ') || 'any algorithm'}, and the authorization server offers DPoP with ${offered.join(', ')}: no algorithm in common.`
          : 'The MCP server accepts only DPoP-bound tokens (dpop_bound_access_tokens_required), but the authorization server does not offer DPoP (no dpop_signing_alg_values_supported): it cannot issue tokens this server accepts. Only if it binds tokens without advertising it does `--dpop always` help.',
      ),
    );
  }
  // a side that does not take DPoP is no problem: Bearer tokens are used (the tokens line)
  return { report, problems };
}
