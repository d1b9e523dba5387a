import type { Client, DPoPHandle } from 'oauth4webapi';
import { parseWwwAuthenticate } from '../discovery/www-authenticate.ts';
import type { McpOAuthError } from '../errors/error.ts';
import type { ReplayableRequest } from '../fetch/replayable-request.ts';
import type { FlowContext } from '../flow/context.ts';
import type { TokenRequestTarget } from '../grants/with-dpop.ts';
import type { DiscoveryRecord, TokensRecord } from '../store/records.ts';
import { createDpopState, type DpopMode } from './keys.ts';
import { refusedBearerError } from './refused-bearer.ts';
import { dpopRequirementError } from './requirement.ts';
import { sendWithDpop } from './send.ts';
import { tokenRequestWithDpop } from './token-request.ts';

/**
 * Options of {@link dpop}.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { type DpopOptions, dpop } from '@mcp-oauth/core/dpop';
 *
 * const options: DpopOptions = { mode: 'always', persistKeys: false };
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', dpop: dpop(options) });
 * ```
 */
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

/**
 * DPoP support, passed to `createOAuthClient({ dpop: dpop() })`. Applications that do not import it do not bundle it.
 * Made by {@link dpop}; its methods are called by core, not by applications.
 *
 * @example
 * ```ts
 * import { createOAuthClient, type DpopSupport } from '@mcp-oauth/core';
 * import { dpop } from '@mcp-oauth/core/dpop';
 *
 * const support: DpopSupport = dpop();
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', dpop: support });
 * console.log(support.mode); // 'auto'
 * ```
 */
export interface DpopSupport {
  /** Always `dpop`. */
  readonly kind: 'dpop';
  /** When tokens are bound: `auto`, `always` or `off`. */
  readonly mode: DpopMode;
  /**
   * Runs a token request with a DPoP proof (RFC 9449 §5) when the servers take DPoP, retrying
   * once with the server's `DPoP-Nonce` (§8); returns the result and the key's thumbprint
   * (`jkt`) when the tokens were requested bound. Called by core's grants.
   *
   * @internal
   */
  tokenRequest<T>(
    ctx: FlowContext,
    target: TokenRequestTarget,
    client: Client,
    run: (options: { DPoP?: DPoPHandle }) => Promise<T>,
  ): Promise<{
    /** What `run` returned. */
    result: T;
    /** The JWK thumbprint (RFC 7638) of the key used, when the request carried a proof. */
    jkt?: string;
  }>;
  /**
   * Sends an MCP request with DPoP-bound tokens: `Authorization: DPoP <token>` and a proof
   * with `ath` (RFC 9449 §7), retrying once with a new nonce when the resource asks for one.
   * Called by the authorized fetch.
   *
   * @internal
   */
  send(ctx: FlowContext, request: ReplayableRequest, tokens: TokensRecord): Promise<Response>;
  /** Notes a `DPoP` challenge in a resource server's 401 (RFC 9449 §7.1): that server takes DPoP. */
  observe(url: string, response: Response): void;
  /**
   * When the resource requires DPoP-bound tokens, what stands in the way in this mode (`off`,
   * an authorization server without DPoP, no algorithm in common): checked by core's discovery
   * before anyone is asked to consent. Undefined when nothing does.
   *
   * @internal
   */
  requirementError(discovery: DiscoveryRecord): McpOAuthError | undefined;
  /**
   * The error for a fresh Bearer token refused with a `DPoP`-only challenge from `url`.
   *
   * @internal
   */
  refusedBearer(url: string): McpOAuthError;
}

/**
 * DPoP (RFC 9449): proofs on token requests and on every MCP request, nonce retries, keys per
 * (issuer, resource), used where the MCP server and its authorization server both take it.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { dpop } from '@mcp-oauth/core/dpop';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', dpop: dpop() });
 * const info = await oauth.status();
 * console.log(info?.tokenType); // 'DPoP' where both servers take it, else 'Bearer'
 * ```
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
    requirementError: (discovery) => dpopRequirementError(discovery, mode),
    refusedBearer: (url) => refusedBearerError(mode, url),
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
