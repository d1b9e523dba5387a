import { parseWwwAuthenticate } from '../discovery/www-authenticate.ts';
import { type ReplayableRequest, withAuthorization } from '../fetch/replayable-request.ts';
import type { FlowContext } from '../flow/context.ts';
import type { TokensRecord } from '../store/records.ts';
import { contentDigest } from './content-digest.ts';
import { boundKey, type DpopState } from './keys.ts';
import { resourceProof } from './proof.ts';

/**
 * Sends `request` to the resource server with `tokens`: `Bearer`, or for
 * DPoP-bound tokens `Authorization: DPoP <token>` with a fresh proof
 * (RFC 9449 §7.1) carrying the body's `content_digest` (MCP DPoP profile),
 * retried once with the server's nonce after a `use_dpop_nonce` challenge (§9).
 * Tokens bound to a key this process no longer holds go out without a proof;
 * the server's 401 then leads to a refresh or a new authorization with a new key.
 */
export async function sendWithDpop(
  ctx: FlowContext,
  state: DpopState,
  request: ReplayableRequest,
  tokens: TokensRecord,
): Promise<Response> {
  if (!tokens.dpopJkt)
    return ctx.fetch(request.url, withAuthorization(request, `Bearer ${tokens.accessToken}`));
  const key = await boundKey(ctx, state, tokens).catch(() => undefined);
  // the buffered body, digested once: the retry after a nonce challenge sends the same bytes
  const digest = key?.jkt === tokens.dpopJkt && (await contentDigest(request.init.body));
  const origin = new URL(request.url).origin;
  const attempt = async () => {
    const init = withAuthorization(request, `DPoP ${tokens.accessToken}`);
    if (key && digest) {
      const nonce = state.nonces.get(origin);
      const proof = await resourceProof(key, {
        method: init.method ?? 'GET',
        url: request.url,
        accessToken: tokens.accessToken,
        contentDigest: digest,
        ...(nonce ? { nonce } : {}),
        now: ctx.now(),
      });
      if (init.headers instanceof Headers) init.headers.set('dpop', proof);
      else init.headers = { ...(init.headers as Record<string, string>), dpop: proof };
    }
    const response = await ctx.fetch(request.url, init);
    const fresh = response.headers.get('dpop-nonce');
    if (fresh) state.nonces.set(origin, fresh);
    return { response, fresh };
  };
  const first = await attempt();
  const challenge = parseWwwAuthenticate(first.response.headers.get('www-authenticate')).find(
    (c) => c.scheme === 'dpop',
  );
  if (first.response.status !== 401 || !first.fresh || challenge?.params.error !== 'use_dpop_nonce')
    return first.response;
  await first.response.body?.cancel().catch(() => {});
  return (await attempt()).response;
}
