import { type Client, DPoP, type DPoPHandle, isDPoPNonceError } from 'oauth4webapi';
import type { FlowContext } from '../flow/context.ts';
import type { TokenRequestTarget } from '../grants/with-dpop.ts';
import { boundKey, type DpopKey, type DpopState, dpopKeyFor } from './keys.ts';

/**
 * Runs a token endpoint request (request and response processing) with a DPoP
 * proof when DPoP is on for this (authorization server, resource) (RFC 9449 §5),
 * retrying once with the server's nonce after a `use_dpop_nonce` error (§8).
 * A refresh of DPoP-bound tokens proves possession of the key they are bound to,
 * whatever the negotiation would say today: the server requires it (§5.8).
 * Returns the key's thumbprint too.
 */
export async function tokenRequestWithDpop<T>(
  ctx: FlowContext,
  state: DpopState,
  target: TokenRequestTarget,
  client: Client,
  run: (options: { DPoP?: DPoPHandle }) => Promise<T>,
): Promise<{ result: T; jkt?: string }> {
  const key = await keyFor(ctx, state, target);
  if (!key) return { result: await run({}) };
  // one handle per (key, client): it keeps the authorization server's latest nonce (RFC 9449 §8)
  const handleId = `${key.jkt} ${client.client_id}`;
  let handle = state.handles.get(handleId);
  if (!handle) {
    handle = DPoP(client, key.keyPair);
    state.handles.set(handleId, handle);
  }
  try {
    return { result: await run({ DPoP: handle }), jkt: key.jkt };
  } catch (error) {
    if (!isDPoPNonceError(error)) throw error;
    return { result: await run({ DPoP: handle }), jkt: key.jkt }; // the handle kept the nonce
  }
}

async function keyFor(
  ctx: FlowContext,
  state: DpopState,
  target: TokenRequestTarget,
): Promise<DpopKey | undefined> {
  if (target.boundJkt) {
    const bound = await boundKey(ctx, state, {
      issuer: target.as.issuer,
      resource: target.resourceMetadata.resource,
    });
    if (bound?.jkt === target.boundJkt) return bound;
  }
  return dpopKeyFor(ctx, state, target.as, target.resourceMetadata);
}
