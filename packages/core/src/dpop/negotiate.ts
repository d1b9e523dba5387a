import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { ProtectedResourceMetadata } from '../discovery/protected-resource.ts';

/**
 * When to bind tokens with DPoP (RFC 9449): `auto` where both servers take it, `always`, or `off`.
 *
 * @example
 * ```ts
 * import { type DpopMode, dpop } from '@mcp-oauth/core/dpop';
 *
 * const mode: DpopMode = 'always';
 * const support = dpop({ mode });
 * ```
 */
export type DpopMode = 'auto' | 'always' | 'off';

/** Proof algorithms in order of preference. */
const PREFERRED = ['ES256', 'EdDSA', 'ES384', 'PS256', 'RS256', 'ES512'];

/**
 * What the resource says about DPoP: its metadata (RFC 9728 §2) and any `DPoP` challenge it sent (RFC 9449 §7.1).
 *
 * @example
 * ```ts
 * import { type ResourceDpop, resourceTakesDpop } from '@mcp-oauth/core/dpop';
 *
 * const resource: ResourceDpop = { metadata: { dpop_signing_alg_values_supported: ['ES256'] } };
 * resourceTakesDpop(resource); // true
 * ```
 */
export interface ResourceDpop {
  /** The DPoP members of the resource's metadata. */
  metadata: Pick<
    ProtectedResourceMetadata,
    'dpop_signing_alg_values_supported' | 'dpop_bound_access_tokens_required'
  >;
  /** The `algs` of a `DPoP` challenge the resource answered with ([] when it named none); absent when none was seen. */
  challenged?: string[] | undefined;
}

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * Does the resource take DPoP-bound tokens: it lists proof algorithms, requires bound tokens, or challenged with `DPoP`?
 *
 * @example
 * ```ts
 * import { resourceTakesDpop } from '@mcp-oauth/core/dpop';
 *
 * resourceTakesDpop({ metadata: {} }); // false
 * resourceTakesDpop({ metadata: {}, challenged: [] }); // true: it answered with a DPoP challenge
 * resourceTakesDpop({ metadata: { dpop_bound_access_tokens_required: true } }); // true
 * ```
 */
export function resourceTakesDpop(resource: ResourceDpop): boolean {
  return (
    list(resource.metadata.dpop_signing_alg_values_supported).length > 0 ||
    resource.metadata.dpop_bound_access_tokens_required === true ||
    resource.challenged !== undefined
  );
}

/**
 * The proof algorithm for tokens from `as` meant for `resource`, or undefined for Bearer tokens.
 *
 * - `auto`: DPoP only when both servers agree. The resource takes it (its metadata lists
 *   `dpop_signing_alg_values_supported` or sets `dpop_bound_access_tokens_required`, or it
 *   answered with a `DPoP` challenge) and the authorization server advertises
 *   `dpop_signing_alg_values_supported`; the algorithm is the first preferred one both list
 *   (the authorization server's list alone when the resource names none). Otherwise Bearer:
 *   an authorization server's metadata alone never turns DPoP on, since many resource servers
 *   behind a DPoP-capable server accept only Bearer tokens.
 * - `always`: DPoP whatever the resource says, with the server's preferred algorithm (ES256
 *   when it advertises none).
 * - `off`: never.
 *
 * @example
 * ```ts
 * import { negotiateDpopAlgorithm } from '@mcp-oauth/core/dpop';
 *
 * const as = { dpop_signing_alg_values_supported: ['RS256', 'ES256'] };
 * negotiateDpopAlgorithm('auto', as, { metadata: { dpop_signing_alg_values_supported: ['ES256'] } }); // 'ES256'
 * negotiateDpopAlgorithm('auto', as, { metadata: {} }); // undefined: the resource does not take DPoP
 * negotiateDpopAlgorithm('always', {}, { metadata: {} }); // 'ES256'
 * ```
 */
export function negotiateDpopAlgorithm(
  mode: DpopMode,
  as: Pick<AuthorizationServerMetadata, 'dpop_signing_alg_values_supported'>,
  resource: ResourceDpop,
): string | undefined {
  if (mode === 'off') return undefined;
  const offered = list(as.dpop_signing_alg_values_supported);
  if (mode === 'always')
    return offered.length ? PREFERRED.find((alg) => offered.includes(alg)) : 'ES256';
  if (!offered.length || !resourceTakesDpop(resource)) return undefined;
  const taken = [
    ...list(resource.metadata.dpop_signing_alg_values_supported),
    ...(resource.challenged ?? []),
  ];
  return PREFERRED.find((alg) => offered.includes(alg) && (!taken.length || taken.includes(alg)));
}
