import type { RetryFailure, RetryRequest } from './retry/is-retry-safe.ts';

/** Which POST requests may be retried: never, or OAuth requests the server did not process. */
export type RetryPostPolicy = 'never' | 'when-unprocessed';

export interface RetryOptions {
  /** Total attempts, the first one included. Default 3. `1` disables retries. */
  attempts?: number;
  /** Backoff before the second attempt, in ms. Default 200. Doubles for each later attempt. */
  minDelayMs?: number;
  /** Upper bound of the computed backoff, in ms. Default 5000. `Retry-After` may ask for more. */
  maxDelayMs?: number;
  /**
   * Upper bound of the time spent on one call, retries and waits included, in ms.
   * Default 30000. A retry whose wait (backoff or `Retry-After`) would end past it is not
   * made: the last response is returned, or the last error thrown.
   */
  maxTotalMs?: number;
  /**
   * Share of each backoff that is randomized, from 0 (none) to 1 (full jitter). Default 0.5:
   * the wait is between half and all of the exponential delay.
   */
  jitter?: number;
  /** POST requests to OAuth endpoints: see `isRetrySafe`. Default `'when-unprocessed'`. */
  retryPost?: RetryPostPolicy;
  /** Replaces the built-in `isRetrySafe` predicate. */
  isRetrySafe?: (request: RetryRequest, failure: RetryFailure) => boolean;
}

/** Reported before each retry. Carries no header, no query string, no body. */
export interface RetryEvent {
  type: 'retry';
  method: string;
  /** Origin and path of the request, without query or credentials. */
  url: string;
  /** The attempt that failed (1 for the first). */
  attempt: number;
  /** The wait before the next attempt, in ms. */
  delayMs: number;
  failure: RetryFailure;
}

export interface CreateFetchOptions {
  /**
   * The proxy for every request (`http://host:port`, credentials in the URL allowed), or
   * `false` for none. Default: from the environment (`HTTPS_PROXY`, `HTTP_PROXY`, in lower case
   * too), with `NO_PROXY` exclusions.
   */
  proxy?: string | false;
  /** Hosts that bypass the proxy, in `NO_PROXY` syntax. Default: the `NO_PROXY` variable. */
  noProxy?: string;
  /** Extra trusted CA certificates (PEM), added to the default ones. Used for proxies too. */
  ca?: string | readonly string[];
  /** Time to open the connection, TLS handshake included, in ms. Default 10000. */
  connectTimeoutMs?: number;
  /** Time from the request being sent to the response headers, in ms. Default 30000. */
  headersTimeoutMs?: number;
  /**
   * Longest silence while reading a response body, in ms. Default 30000. Not applied to
   * `text/event-stream` bodies (they may idle); see `eventStreamIdleTimeoutMs`.
   */
  bodyTimeoutMs?: number;
  /** Longest silence in a `text/event-stream` body, in ms. Default 0: no limit. */
  eventStreamIdleTimeoutMs?: number;
  /** How long an idle connection is kept for reuse, in ms. Default 4000. */
  keepAliveTimeoutMs?: number;
  /** Retry policy, or `false` for a single attempt. */
  retry?: RetryOptions | false;
  /** Largest response body accepted (not `text/event-stream`), in bytes. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Largest single server-sent event, in bytes. Default 4 MiB. */
  maxEventBytes?: number;
  /** Largest whole `text/event-stream` body, in bytes. Default: no limit. */
  maxEventStreamBytes?: number;
  /** The `User-Agent` sent when the request has none. Default `mcp-oauth/<version> (+transport-fetch)`. */
  userAgent?: string;
  /**
   * Refuse connections to loopback, private, link-local (cloud metadata), multicast and
   * reserved addresses, checked on the resolved address at connect time (no DNS
   * rebinding window). For server-side clients that follow URLs from MCP servers (SSRF
   * defence). Off by default: local development servers live on 127.0.0.1. Through a
   * proxy, only the proxy's address is checked: let the proxy enforce egress rules.
   */
  blockPrivateNetworks?: boolean;
  /** Called before each retry. Must not throw; errors it throws are ignored. */
  onRetry?: (event: RetryEvent) => void;
  /**
   * Send requests straight through undici's dispatcher, with `undici.fetch`'s behaviour at
   * about half its CPU (see the README). Default true. `false` sends every request through
   * `undici.fetch` itself: a way out should a server meet a difference between the two.
   */
  directDispatch?: boolean;
}

export interface ResolvedRetry {
  attempts: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxTotalMs: number;
  jitter: number;
  retryPost: RetryPostPolicy;
  isRetrySafe: ((request: RetryRequest, failure: RetryFailure) => boolean) | undefined;
}

export const DEFAULTS = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  eventStreamIdleTimeoutMs: 0,
  keepAliveTimeoutMs: 4_000,
  maxResponseBytes: 1024 * 1024,
  maxEventBytes: 4 * 1024 * 1024,
  maxEventStreamBytes: Number.POSITIVE_INFINITY,
  retry: {
    attempts: 3,
    minDelayMs: 200,
    maxDelayMs: 5_000,
    maxTotalMs: 30_000,
    jitter: 0.5,
    retryPost: 'when-unprocessed',
  },
} as const;

export function resolveRetry(retry: RetryOptions | false | undefined): ResolvedRetry {
  const d = DEFAULTS.retry;
  if (retry === false) {
    return { ...d, attempts: 1, isRetrySafe: undefined };
  }
  const r = retry ?? {};
  const resolved: ResolvedRetry = {
    attempts: Math.max(1, Math.floor(r.attempts ?? d.attempts)),
    minDelayMs: r.minDelayMs ?? d.minDelayMs,
    maxDelayMs: r.maxDelayMs ?? d.maxDelayMs,
    maxTotalMs: r.maxTotalMs ?? d.maxTotalMs,
    jitter: Math.min(1, Math.max(0, r.jitter ?? d.jitter)),
    retryPost: r.retryPost ?? d.retryPost,
    isRetrySafe: r.isRetrySafe,
  };
  return resolved;
}
