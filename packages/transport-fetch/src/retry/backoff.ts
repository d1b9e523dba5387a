/**
 * Parses a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP date.
 * Returns the wait in ms (0 for a date in the past), or undefined when absent or invalid.
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its day and month ("Sun, 06 Nov 1994 08:49:37 GMT"): numbers alone
  // (e.g. "-1") are not dates, whatever Date.parse makes of them.
  const date = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export interface BackoffOptions {
  minDelayMs: number;
  maxDelayMs: number;
  /** 0 to 1: the share of the delay that is random. */
  jitter: number;
}

/**
 * Exponential backoff with jitter before attempt `failedAttempt + 1`:
 * `min(maxDelayMs, minDelayMs * 2^(failedAttempt - 1))`, of which the `jitter` share is random.
 */
export function backoffDelay(
  failedAttempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** (failedAttempt - 1));
  return Math.round(exponential * (1 - options.jitter * random()));
}
