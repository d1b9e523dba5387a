import { backoffDelay, parseRetryAfter, sleep } from '@mcp-oauth/internal';
import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import { DEFAULT_RETRY } from './defaults.ts';

/**
 * The retry option, under the names every package of the family uses (restated from the
 * private shared package, which published declarations cannot name).
 *
 * @example
 * ```ts
 * import { createOAuthClient, type RetryOptions } from '@mcp-oauth/core';
 *
 * const retry: RetryOptions = { attempts: 5, minDelayMs: 500, maxDelayMs: 30_000 };
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', retry });
 * ```
 */
export interface RetryOptions {
  /** Requests made in all, the first included. 1 turns retrying off. */
  attempts: number;
  /** Delay before the second request, before jitter. */
  minDelayMs: number;
  /** No delay exceeds this, a server's `Retry-After` included. */
  maxDelayMs: number;
}

export { DEFAULT_RETRY };

/**
 * Runs `operation` (one OAuth request to `url`) and repeats it while it fails with an error
 * marked `retryable` (see `policy.ts`), at most `ctx.retry.attempts` requests in all, waiting
 * with exponential backoff and jitter, longer when the server's `Retry-After` asks for it.
 */
export async function withRetries<T>(
  ctx: FlowContext,
  url: string,
  operation: () => Promise<T>,
): Promise<T> {
  const policy = ctx.retry ?? DEFAULT_RETRY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= policy.attempts || !McpOAuthError.isInstance(error) || !error.retryable)
        throw error;
      const retryAfter = error.details.retryAfter;
      const delayMs = backoffDelay(
        attempt,
        policy,
        typeof retryAfter === 'string' ? parseRetryAfter(retryAfter, ctx.now()) : undefined,
      );
      ctx.emit({ type: 'retry', url, attempt, delayMs, reason: error.code });
      await sleep(delayMs, ctx.signal);
    }
  }
}
