import { backoffDelay, sleep } from '@mcp-oauth/internal';
import type { VaultRetryOptions } from './options.ts';
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

/**
 * Runs `fn` at most `retry.attempts` times in all, repeating 5xx, 429 and network failures
 * after the shared backoff (exponential from `minDelayMs`, at most `maxDelayMs`, jittered);
 * throws `RequestFailed`. Every Vault call the store makes is a read, a check-and-set write,
 * a delete of named versions or a login, so a repeat after a lost answer changes nothing
 * that a first success would not have (a check-and-set repeat fails as a conflict, which
 * the store's CAS loop handles). Vault is not OAuth: this is the only loop on its requests.
 */
export async function withRetry<T>(retry: VaultRetryOptions, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const failure = classify(error);
      if (!isRetryable(failure) || attempt >= retry.attempts) throw new RequestFailed(failure);
      await sleep(backoffDelay(attempt, retry));
    }
  }
}
