import type { Client, DPoPHandle } from 'oauth4webapi';
import { parseWwwAuthenticate } from '../discovery/www-authenticate.ts';
import type { ReplayableRequest } from '../fetch/replayable-request.ts';
import type { FlowContext } from '../flow/context.ts';
import type { TokenRequestTarget } from '../grants/with-dpop.ts';
import type { TokensRecord } from '../store/records.ts';
import { createDpopState, type DpopMode } from './keys.ts';
import { sendWithDpop } from './send.ts';
import { tokenRequestWithDpop } from './token-request.ts';

export interface DpopOptions {
  /**
   * 'auto' (default): bind tokens when both servers agree: the MCP server takes DPoP (its
   * resource metadata lists `dpop_signing_alg_values_supported` or requires bound tokens, or
   * it answered with a `DPoP` challenge) and the authorization server advertises
   * `dpop_signing_alg_values_supported`. Otherwise Bearer.
   * 'always': bind tokens whatever the MCP server says, even when the authorization server
   * does not advertise DPoP. 'off': Bearer tokens only (as if `dpop` were not passed).
   */
  mode?: DpopMode;
  /**
   * Keep each (issuer, resource) key pair in the store, so DPoP-bound tokens outlive the
   * process and every process sharing the store proves possession with the same key.
   * The key lives in memory as a non-extractable CryptoKey; at rest it is a private JWK
   * inside the store's record (encrypted by the file, keychain and Vault stores).
   * Default true. With false, keys never leave memory and bound tokens die with the process.
   */
  persistKeys?: boolean;
}

/** DPoP support, passed to `createOAuthClient({ dpop: dpop() })`. Applications that do not import it do not bundle it. */
export interface DpopSupport {
  readonly kind: 'dpop';
  readonly mode: DpopMode;
  tokenRequest<T>(
    ctx: FlowContext,
    target: TokenRequestTarget,
    client: Client,
    run: (options: { DPoP?: DPoPHandle }) => Promise<T>,
  ): Promise<{ result: T; jkt?: string }>;
  send(ctx: FlowContext, request: ReplayableRequest, tokens: TokensRecord): Promise<Response>;
  /** Notes a `DPoP` challenge in a resource server's 401 (RFC 9449 §7.1): that server takes DPoP. */
  observe(url: string, response: Response): void;
}

/**
 * DPoP (RFC 9449): proofs on token requests and on every MCP request, nonce retries, keys per
 * (issuer, resource), used where the MCP server and its authorization server both take it.
 */
export function dpop(options: DpopOptions = {}): DpopSupport {
  const mode = options.mode ?? 'auto';
  const state = createDpopState(mode, options.persistKeys ?? true);
  return {
    kind: 'dpop',
    mode,
    tokenRequest: (ctx, target, client, run) =>
      tokenRequestWithDpop(ctx, state, target, client, run),
    send: (ctx, request, tokens) => sendWithDpop(ctx, state, request, tokens),
    observe(url, response) {
      const challenge = parseWwwAuthenticate(response.headers.get('www-authenticate')).find(
        (c) => c.scheme === 'dpop',
      );
      if (!challenge) return;
      const algs = challenge.params.algs?.split(' ').filter(Boolean) ?? [];
      state.challenges.set(new URL(url).origin, algs);
    },
  };
}
