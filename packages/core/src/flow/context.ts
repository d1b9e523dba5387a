import type { ConfiguredAuthorizationServer } from '../discovery/configured-authorization-server.ts';
import type { ServerQuirks } from '../discovery/quirks.ts';
import type { DpopSupport } from '../dpop/support.ts';
import type { EventListener } from '../events/types.ts';
import type { FetchLike } from '../http/types.ts';
import type { RetryOptions } from '../retry/with-retries.ts';
import type { TokenStore } from '../store/types.ts';

/**
 * The ports every transition uses. Built once by `createOAuthClient`; an application that
 * drives the flow itself builds its own.
 *
 * @example
 * ```ts
 * import { memoryStore } from '@mcp-oauth/core';
 * import type { FlowContext } from '@mcp-oauth/core/flow';
 *
 * const ctx: FlowContext = {
 *   fetch: (input, init) => globalThis.fetch(input, init),
 *   oauthFetch: (input, init) => globalThis.fetch(input, init),
 *   store: memoryStore(),
 *   now: Date.now,
 *   randomString: () => crypto.randomUUID().replaceAll('-', ''),
 *   emit: (event) => console.error(event.type),
 *   quirks: {},
 *   maxResponseBytes: 256 * 1024,
 *   allowInsecureHttp: false,
 * };
 * ```
 */
export interface FlowContext {
  /** The caller's fetch, for MCP requests. */
  fetch: FetchLike;
  /** The same fetch, guarded for OAuth requests: size-capped, network errors typed. */
  oauthFetch: FetchLike;
  /** Where discovery, registrations and tokens are kept. */
  store: TokenStore;
  /** The clock, epoch ms. */
  now: () => number;
  /** Random URL-safe string generator for state and PKCE verifiers (default: 32 random bytes, base64url). */
  randomString: () => string;
  /** Receives every event of the flow. */
  emit: EventListener;
  /** Opt-in deviations for non-conforming servers. */
  quirks: ServerQuirks;
  /** Cap on OAuth response bodies, in bytes. */
  maxResponseBytes: number;
  /** Plain http for OAuth URLs: true anywhere, 'loopback' on loopback addresses only, false never. */
  allowInsecureHttp: boolean | 'loopback';
  /** Aborts the flow's requests and waits. */
  signal?: AbortSignal;
  /** How OAuth requests are repeated after a retryable failure. Default: 3 attempts. */
  retry?: RetryOptions;
  /** DPoP (RFC 9449) mode, keys and nonces; absent means off. */
  dpop?: DpopSupport;
  /** The authorization server's issuer and endpoints, where discovery finds none (or always, with `override`). */
  authorizationServer?: ConfiguredAuthorizationServer;
}
