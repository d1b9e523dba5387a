import { sleep } from '@mcp-oauth/internal';
import type { FetchLike } from './types.ts';

/**
 * Client-side rate limiting of requests to authorization servers (off unless given): the
 * `rateLimit` option of `createOAuthClient`.
 *
 * @example
 * ```ts
 * import { createOAuthClient, type RateLimitOptions } from '@mcp-oauth/core';
 *
 * const rateLimit: RateLimitOptions = { requestsPerSecond: 5, burst: 10 };
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', rateLimit });
 * ```
 */
export interface RateLimitOptions {
  /** Requests per second allowed to each authorization server (by origin), on average. */
  requestsPerSecond: number;
  /** Requests that may go at once before the rate applies. Default: `requestsPerSecond`, at least 1. */
  burst?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per origin in front of `next`: each request takes a token; tokens come back
 * at `requestsPerSecond`, up to `burst`. A request with none left waits for one (abortable
 * with its `signal`), so a loop of logins or a fleet of clients never floods an authorization
 * server. Requests to different origins do not wait for each other.
 */
export function rateLimitByOrigin(
  options: RateLimitOptions,
  now: () => number = Date.now,
): (next: FetchLike) => FetchLike {
  const rate = options.requestsPerSecond;
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new RangeError('rateLimit.requestsPerSecond must be a positive number.');
  }
  const burst = Math.max(1, options.burst ?? rate);
  const buckets = new Map<string, Bucket>();

  /** Takes a token for `origin`; returns how long to wait for it (0 when one was there). */
  const take = (origin: string): number => {
    const at = now();
    const bucket = buckets.get(origin) ?? { tokens: burst, updatedAt: at };
    bucket.tokens = Math.min(burst, bucket.tokens + ((at - bucket.updatedAt) / 1000) * rate);
    bucket.updatedAt = at;
    bucket.tokens -= 1; // may go negative: later callers queue behind this one
    buckets.set(origin, bucket);
    return bucket.tokens >= 0 ? 0 : (-bucket.tokens / rate) * 1000;
  };

  return (next) => async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const wait = take(new URL(url).origin);
    if (wait > 0)
      await sleep(wait, init?.signal ?? (input instanceof Request ? input.signal : undefined));
    return next(input, init);
  };
}
