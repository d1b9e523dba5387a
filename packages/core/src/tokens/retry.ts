import { sleep } from '@mcp-oauth/internal';
import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 10_000 };

/** Transient: the request may succeed if repeated (network, timeouts, 5xx, 429). */
export function isTransient(error: unknown): boolean {
  if (!McpOAuthError.isInstance(error)) return false;
  if (error.code === 'network_error' || error.code === 'timeout') return true;
  return error.status !== undefined && (error.status >= 500 || error.status === 429);
}

/** Retry-After (seconds or HTTP date) in ms, if the error carries one. */
export function retryAfterMs(error: unknown, now: number): number | undefined {
  const value = McpOAuthError.isInstance(error) ? error.details.retryAfter : undefined;
  if (typeof value !== 'string') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Runs `operation`, retrying transient failures with exponential backoff, jitter and Retry-After. */
export async function withRetries<T>(
  ctx: FlowContext,
  what: string,
  policy: RetryPolicy,
  operation: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= policy.attempts || !isTransient(error)) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const jittered = backoff / 2 + Math.random() * (backoff / 2);
      const delayMs = Math.min(
        policy.maxDelayMs,
        Math.max(jittered, retryAfterMs(error, ctx.now()) ?? 0),
      );
      ctx.emit({
        type: 'retry',
        url: what,
        attempt,
        delayMs: Math.round(delayMs),
        reason: McpOAuthError.isInstance(error) ? error.code : 'error',
      });
      await sleep(delayMs, ctx.signal);
    }
  }
}
