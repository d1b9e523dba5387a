import type { ConfiguredAuthorizationServer } from '../discovery/configured-authorization-server.ts';
import type { ServerQuirks } from '../discovery/quirks.ts';
import type { DpopSupport } from '../dpop/support.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { EventListener } from '../events/types.ts';
import { guardedFetch } from '../http/guarded-fetch.ts';
import type { RateLimitOptions } from '../http/rate-limit.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, type FetchLike } from '../http/types.ts';
import { publishEvent } from '../observe/publish-event.ts';
import { traceHttp } from '../observe/trace-http.ts';
import { DEFAULT_RETRY } from '../retry/defaults.ts';
import type { RetryOptions } from '../retry/with-retries.ts';
import { memoryStore } from '../store/memory.ts';
import type { TokenStore } from '../store/types.ts';
import { randomState } from '../util/random-state.ts';
import { isLoopbackUrl } from '../util/secure-url.ts';
import { checkFlowOptions } from './check-options.ts';
import type { FlowContext } from './context.ts';

/**
 * The options of `createFlowContext`: those of `createOAuthClient` that the flow uses.
 *
 * @example
 * ```ts
 * import { memoryStore } from '@mcp-oauth/core';
 * import { createFlowContext, type FlowContextOptions, runFlow, saveAuthorized } from '@mcp-oauth/core/flow';
 *
 * const options: FlowContextOptions = { store: memoryStore(), retry: { attempts: 2 } };
 * const ctx = createFlowContext(options);
 * const done = await runFlow(ctx, { step: 'start', serverUrl: 'https://mcp.example.com/mcp' }, {}, []);
 * await saveAuthorized(ctx, done); // the transitions return tokens; whoever runs them stores them
 * ```
 */
export interface FlowContextOptions {
  /** The MCP server URL (its canonical form is the RFC 8707 resource). */
  serverUrl: string | URL;
  /** Where discovery, registrations and tokens are kept. Default: in memory. */
  store?: TokenStore;
  /** HTTP for everything. Default: globalThis.fetch. `@mcp-oauth/transport-fetch` gives proxies, timeouts and retries. */
  fetch?: FetchLike;
  /** Opt-in deviations for non-conforming servers. */
  quirks?: ServerQuirks;
  /**
   * The authorization server's issuer and endpoints, for servers whose discovery is missing or
   * wrong: used when discovery finds no metadata, or instead of it with `override: true`.
   * Still https only (unless `allowInsecureHttp`), and the issuer must be one the MCP server
   * names where it publishes resource metadata.
   */
  authorizationServer?: ConfiguredAuthorizationServer;
  /** Called with each `McpOAuthEvent` (never carries a secret). A listener that throws is ignored. */
  onEvent?: EventListener;
  /** Cap on OAuth response bodies. Default 256 KiB. */
  maxResponseBytes?: number;
  /**
   * Plain http for OAuth URLs (metadata, endpoints, the MCP server): `'loopback'` on
   * loopback addresses only, `true` anywhere, `false` never. Default: `'loopback'` when the
   * MCP server URL is itself a loopback address (local development), otherwise `false`.
   */
  allowInsecureHttp?: boolean | 'loopback';
  /**
   * DPoP (RFC 9449) sender-constrained tokens: pass `dpop()` (from this package) to bind
   * tokens whenever the authorization server advertises `dpop_signing_alg_values_supported`
   * (or always, with `dpop({ mode: 'always' })`). Without it, tokens are Bearer tokens and
   * the DPoP code is not bundled.
   */
  dpop?: DpopSupport;
  /**
   * OAuth requests that failed in a way that may pass are repeated: `attempts` requests in all
   * (1 turns retrying off), waiting from `minDelayMs` to `maxDelayMs`, longer when the server's
   * `Retry-After` asks for it. Which failures are repeated depends on the request (a refresh or
   * a code exchange only when the server certainly did not act on it). Default
   * `{ attempts: 3, minDelayMs: 250, maxDelayMs: 10000 }`.
   */
  retry?: Partial<RetryOptions>;
  /**
   * Client-side rate limiting of OAuth requests (metadata, registration, token, revocation,
   * introspection): a token bucket per server origin, `requestsPerSecond` on average after a
   * `burst`. A request over the rate waits for its turn. Default: off.
   */
  rateLimit?: RateLimitOptions;
  /** The clock, epoch ms. Default `Date.now`; for tests. */
  now?: () => number;
  /** The source of `state` values (and other random strings). Default: 32 random bytes, base64url; for tests. */
  randomString?: () => string;
}

/**
 * The ports every transition uses, built as `createOAuthClient` builds them: the same
 * defaults, the same cap on OAuth response bodies, OAuth requests whose network failures are
 * typed (`McpOAuthError` `network_error`), plain http refused outside `allowInsecureHttp`,
 * and an `onEvent` listener whose failures cannot break the flow. For applications that drive
 * the flow themselves (`@mcp-oauth/core/flow`); add `signal` to abort its waits.
 *
 * @example
 * ```ts
 * import { memoryStore } from '@mcp-oauth/core';
 * import { createFlowContext, type FlowContextOptions, runFlow, saveAuthorized } from '@mcp-oauth/core/flow';
 *
 * const options: FlowContextOptions = { store: memoryStore(), retry: { attempts: 2 } };
 * const ctx = createFlowContext(options);
 * const done = await runFlow(ctx, { step: 'start', serverUrl: 'https://mcp.example.com/mcp' }, {}, []);
 * await saveAuthorized(ctx, done); // the transitions return tokens; whoever runs them stores them
 * ```
 */
export function createFlowContext(options: FlowContextOptions): FlowContext {
  const serverUrl = checkFlowOptions(options);
  const baseFetch: FetchLike = options.fetch ?? globalFetch;
  const quirks = options.quirks ?? NO_QUIRKS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  // one literal, then assignments: every context of the same options has the same shape
  // (a literal with spreads gives each its own), which a gateway with a client per user feels
  const ctx: FlowContext = {
    fetch: baseFetch,
    oauthFetch:
      options.rateLimit || quirks.allowMissingTokenType
        ? oauthFetchOf(baseFetch, maxBytes, options)
        : sharedOauthFetch(baseFetch, maxBytes),
    store: options.store ?? memoryStore(),
    now: options.now ?? Date.now,
    randomString: options.randomString ?? randomState,
    emit: emitterOf(options.onEvent),
    quirks,
    maxResponseBytes: maxBytes,
    allowInsecureHttp: options.allowInsecureHttp ?? (isLoopbackUrl(serverUrl) && 'loopback'),
    retry: options.retry ? { ...DEFAULT_RETRY, ...options.retry } : DEFAULT_RETRY,
  };
  if (options.dpop) ctx.dpop = options.dpop;
  if (options.authorizationServer) ctx.authorizationServer = options.authorizationServer;
  return ctx;
}

// What clients of the same configuration share instead of holding a copy each (a gateway
// creates one client per user): the default fetch, the guarded OAuth fetch over a given fetch,
// the event emitter of a given listener, the empty quirks.
const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init);
const NO_QUIRKS: ServerQuirks = /* @__PURE__ */ Object.freeze({});
const oauthFetches = new WeakMap<FetchLike, Map<number, FetchLike>>();
const emitters = new WeakMap<EventListener, EventListener>();
const publishOnly: EventListener = (event) => publishEvent(event);

/** The guarded OAuth fetch over `baseFetch`: one per fetch and cap, shared (it holds no state). */
function sharedOauthFetch(baseFetch: FetchLike, maxBytes: number): FetchLike {
  let byCap = oauthFetches.get(baseFetch);
  if (!byCap) {
    byCap = new Map();
    oauthFetches.set(baseFetch, byCap);
  }
  let oauthFetch = byCap.get(maxBytes);
  if (!oauthFetch) {
    oauthFetch = traceHttp(guardedFetch(baseFetch, maxBytes));
    byCap.set(maxBytes, oauthFetch);
  }
  return oauthFetch;
}

/** The OAuth fetch of a client with a rate limit (its own buckets) or the token type quirk. */
function oauthFetchOf(
  baseFetch: FetchLike,
  maxBytes: number,
  options: FlowContextOptions,
): FetchLike {
  let limitedFetch = baseFetch;
  if (options.rateLimit) {
    // opt-in: its code is loaded only by clients that set it; checked now, so a bad rate fails here
    const { requestsPerSecond } = options.rateLimit;
    if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond))
      throw new McpOAuthError(
        'invalid_configuration',
        'The `rateLimit.requestsPerSecond` option must be a positive number.',
      );
    const limits = options.rateLimit;
    const limited = import('../http/rate-limit.ts').then((m) =>
      m.rateLimitByOrigin(limits)(baseFetch),
    );
    limitedFetch = async (input, init) => (await limited)(input, init);
  }
  let oauthFetch = traceHttp(guardedFetch(limitedFetch, maxBytes));
  if (options.quirks?.allowMissingTokenType) {
    // opt-in quirk: its code is loaded only by clients that set it
    const plain = oauthFetch;
    const quirked = import('../http/token-type-quirk.ts').then((m) => m.defaultTokenType(plain));
    oauthFetch = async (input, init) => (await quirked)(input, init);
  }
  return oauthFetch;
}

/** Publishes each event, then hands it to `listener`, whose failures cannot break the flow. */
function emitterOf(listener: EventListener | undefined): EventListener {
  if (!listener) return publishOnly;
  let emit = emitters.get(listener);
  if (!emit) {
    emit = (event) => {
      publishEvent(event);
      try {
        listener(event);
      } catch {
        // a listener's failure must not break the flow
      }
    };
    emitters.set(listener, emit);
  }
  return emit;
}
