import type { RetryFailure, RetryRequest } from './retry/is-retry-safe.ts';

/**
 * Retrying, for a standalone user who opts in (core repeats OAuth requests itself, by its own
 * rules, so it does not need this). The names are those of every mcp-oauth package:
 * `attempts` counts every request made, the first included.
 *
 * @example
 * ```ts
 * import { createFetch } from '@mcp-oauth/transport-fetch';
 *
 * const fetch = createFetch({ retry: { attempts: 3, minDelayMs: 100, maxDelayMs: 2_000 } });
 * ```
 */
export interface RetryOptions {
  /** Requests made in all, the first included: 3 means at most 3 requests. 1 makes no retry. */
  attempts: number;
  /** Backoff before the second request, in ms, before jitter. Default 200. Doubles after. */
  minDelayMs?: number;
  /** No wait exceeds this, a server's `Retry-After` included, in ms. Default 5000. */
  maxDelayMs?: number;
  /** Replaces the built-in `isRetrySafe` predicate (which requests may be repeated). */
  isRetrySafe?: (request: RetryRequest, failure: RetryFailure) => boolean;
}

/**
 * Reported to `onRetry` before each retry. Carries no header, no query string, no body.
 *
 * @example
 * ```ts
 * import { createFetch, type RetryEvent } from '@mcp-oauth/transport-fetch';
 *
 * const log = (e: RetryEvent) =>
 *   console.error(`retry ${e.method} ${e.url} (attempt ${e.attempt} failed) in ${e.delayMs} ms`);
 * const fetch = createFetch({ retry: { attempts: 3 }, onRetry: log });
 * ```
 */
export interface RetryEvent {
  /** Always `'retry'`. */
  type: 'retry';
  /** The request's HTTP method, e.g. `GET`. */
  method: string;
  /** Origin and path of the request, without query or credentials. */
  url: string;
  /** The attempt that failed (1 for the first). */
  attempt: number;
  /** The wait before the next attempt, in ms. */
  delayMs: number;
  /** Why the attempt failed: a status or a network failure and its phase. */
  failure: RetryFailure;
}

/**
 * Options of `createFetch`. Every one is optional; the defaults are in `DEFAULTS`.
 *
 * @example
 * ```ts
 * import { type CreateFetchOptions, createFetch } from '@mcp-oauth/transport-fetch';
 *
 * const options: CreateFetchOptions = {
 *   ca: process.env.CORPORATE_CA_PEM ?? [],
 *   headersTimeoutMs: 15_000,
 *   maxResponseBytes: 4 * 1024 * 1024,
 * };
 * const fetch = createFetch(options);
 * ```
 */
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
  /**
   * Off by default (one request). `{ attempts: 3 }` repeats what HTTP alone makes safe (see
   * `isRetrySafe`), with backoff and `Retry-After`. Leave it off under `@mcp-oauth/core`,
   * which repeats OAuth requests by its own rules.
   */
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
}

export interface ResolvedRetry {
  attempts: number;
  minDelayMs: number;
  maxDelayMs: number;
  isRetrySafe: ((request: RetryRequest, failure: RetryFailure) => boolean) | undefined;
}

/**
 * The values `createFetch` uses for options left out (times in ms, sizes in bytes).
 *
 * @example
 * ```ts
 * import { createFetch, DEFAULTS } from '@mcp-oauth/transport-fetch';
 *
 * // twice the default response limit (1 MiB)
 * const fetch = createFetch({ maxResponseBytes: 2 * DEFAULTS.maxResponseBytes });
 * ```
 */
export const DEFAULTS = {
  /** Time to open the connection, TLS handshake included: 10 s. */
  connectTimeoutMs: 10_000,
  /** Time from the request being sent to the response headers: 30 s. */
  headersTimeoutMs: 30_000,
  /** Longest silence while reading a response body: 30 s. */
  bodyTimeoutMs: 30_000,
  /** Longest silence in a `text/event-stream` body: 0, no limit. */
  eventStreamIdleTimeoutMs: 0,
  /** How long an idle connection is kept for reuse: 4 s. */
  keepAliveTimeoutMs: 4_000,
  /** Largest response body (not `text/event-stream`): 1 MiB. */
  maxResponseBytes: 1024 * 1024,
  /** Largest single server-sent event: 4 MiB. */
  maxEventBytes: 4 * 1024 * 1024,
  /** Largest whole `text/event-stream` body: no limit. */
  maxEventStreamBytes: Number.POSITIVE_INFINITY,
  /** Without a `retry` option: one request. With one, the delays it leaves out. */
  retry: {
    /** Requests made in all without a `retry` option: 1. */
    attempts: 1,
    /** Backoff before the second request, before jitter: 200 ms. */
    minDelayMs: 200,
    /** Longest wait between requests: 5 s. */
    maxDelayMs: 5_000,
  },
} as const;

export function resolveRetry(retry: RetryOptions | false | undefined): ResolvedRetry {
  const d = DEFAULTS.retry;
  if (retry === false || retry === undefined) return { ...d, isRetrySafe: undefined };
  return {
    attempts: retry.attempts ?? d.attempts,
    minDelayMs: retry.minDelayMs ?? d.minDelayMs,
    maxDelayMs: retry.maxDelayMs ?? d.maxDelayMs,
    isRetrySafe: retry.isRetrySafe,
  };
}
