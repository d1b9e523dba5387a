import type { ServerQuirks } from '../discovery/quirks.ts';
import type { DpopSupport } from '../dpop/support.ts';
import type { EventListener } from '../events/types.ts';
import type { FetchLike } from '../http/types.ts';
import type { RetryOptions } from '../retry/with-retries.ts';
import type { TokenStore } from '../store/types.ts';

/** The ports every transition uses. Built once by `createOAuthClient`. */
export interface FlowContext {
  /** The caller's fetch, for MCP requests. */
  fetch: FetchLike;
  /** The same fetch, guarded for OAuth requests: size-capped, network errors typed. */
  oauthFetch: FetchLike;
  store: TokenStore;
  now: () => number;
  /** Random URL-safe string generator for state and PKCE verifiers (default: 32 random bytes, base64url). */
  randomString: () => string;
  emit: EventListener;
  quirks: ServerQuirks;
  maxResponseBytes: number;
  /** Plain http for OAuth URLs: true anywhere, 'loopback' on loopback addresses only, false never. */
  allowInsecureHttp: boolean | 'loopback';
  signal?: AbortSignal;
  /** How OAuth requests are repeated after a retryable failure. Default: 3 attempts. */
  retry?: RetryOptions;
  /** DPoP (RFC 9449) mode, keys and nonces; absent means off. */
  dpop?: DpopSupport;
}
