/**
 * The retry options every package accepts, under the same names: `attempts` counts every
 * request made (1 means no retry), delays grow from `minDelayMs` to at most `maxDelayMs`.
 */
export interface RetryOptions {
  /** Requests made in all, the first included. 1 turns retrying off. */
  attempts: number;
  /** Delay before the second request, before jitter. */
  minDelayMs: number;
  /** No delay exceeds this, a server's `Retry-After` included. */
  maxDelayMs: number;
}

/**
 * The delay before the request that follows failed attempt `failedAttempt` (1-based):
 * exponential, `min(maxDelayMs, minDelayMs · 2^(failedAttempt−1))`, with "equal jitter"
 * (half fixed, half random) so that many clients failing together do not return together.
 * A server's `Retry-After` raises the delay, never above `maxDelayMs`.
 */
export function backoffDelay(
  failedAttempt: number,
  options: Pick<RetryOptions, 'minDelayMs' | 'maxDelayMs'>,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** (failedAttempt - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.round(Math.min(options.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0)));
}

/**
 * Parses a `Retry-After` value (RFC 9110 §10.2.3): delay-seconds or an HTTP date.
 * Returns the wait in ms (0 for a date in the past), or undefined when absent or invalid.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its day and month ("Sun, 06 Nov 1994 08:49:37 GMT"): numbers alone
  // (e.g. "-1") are not dates, whatever Date.parse makes of them.
  const date = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
