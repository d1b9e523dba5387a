import type { RetryOptions } from './with-retries.ts';

/**
 * `attempts` counts every request made: 3 means at most 3 requests, 1 turns retrying off.
 * Apart from the retry loop, so that a client can hold the default without loading the loop.
 */
export const DEFAULT_RETRY: RetryOptions = /* @__PURE__ */ Object.freeze({
  attempts: 3,
  minDelayMs: 250,
  maxDelayMs: 10_000,
});
