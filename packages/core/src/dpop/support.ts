import type { Client, DPoPHandle } from 'oauth4webapi';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { ReplayableRequest } from '../fetch/replayable-request.ts';
import type { FlowContext } from '../flow/context.ts';
import type { TokensRecord } from '../store/records.ts';
import { createDpopState, type DpopMode } from './keys.ts';
import { sendWithDpop } from './send.ts';
import { tokenRequestWithDpop } from './token-request.ts';

export interface DpopOptions {
  /**
   * 'auto' (default): bind tokens when the authorization server advertises
   * `dpop_signing_alg_values_supported`; 'always': even when it does not.
   */
  mode?: Exclude<DpopMode, 'off'>;
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
  tokenRequest<T>(
    ctx: FlowContext,
    as: AuthorizationServerMetadata,
    resource: string,
    client: Client,
    run: (options: { DPoP?: DPoPHandle }) => Promise<T>,
  ): Promise<{ result: T; jkt?: string }>;
  send(ctx: FlowContext, request: ReplayableRequest, tokens: TokensRecord): Promise<Response>;
}

/** DPoP (RFC 9449): proofs on token requests and on every MCP request, nonce retries, keys per (issuer, resource). */
export function dpop(options: DpopOptions = {}): DpopSupport {
  const state = createDpopState(options.mode ?? 'auto', options.persistKeys ?? true);
  return {
    kind: 'dpop',
    tokenRequest: (ctx, as, resource, client, run) =>
      tokenRequestWithDpop(ctx, state, as, resource, client, run),
    send: (ctx, request, tokens) => sendWithDpop(ctx, state, request, tokens),
  };
}
