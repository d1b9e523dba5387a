import { classify, type Failure, isRetryable } from './vault-error.ts';

/** A Vault call that failed for good (after retries, or at once when not retryable). */
export class RequestFailed extends Error {
  constructor(readonly failure: Failure) {
    super(
      failure.kind === 'http' ? `Vault answered ${failure.status}` : `network: ${failure.code}`,
    );
    this.name = 'RequestFailed';
  }
}

export interface RetryPolicy {
  readonly retries: number;
  readonly retryBaseDelayMs: number;
}

/** Waits `ms`, rejecting early with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with jitter: base·2^attempt, scaled by 0.5–1.5. */
export function backoff(attempt: number, baseMs: number, capMs = 5_000): number {
  return Math.min(capMs, baseMs * 2 ** attempt) * (0.5 + Math.random());
}

/** Runs `fn`, retrying 5xx, 429 and network failures with backoff; throws `RequestFailed`. */
export async function withRetry<T>(policy: RetryPolicy, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const failure = classify(error);
      if (!isRetryable(failure) || attempt >= policy.retries) throw new RequestFailed(failure);
      await sleep(backoff(attempt, policy.retryBaseDelayMs));
    }
  }
}
