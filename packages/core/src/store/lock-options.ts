import { McpOAuthError } from '../errors/error.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_LOCK_TTL_MS, type LockOptions } from './types.ts';

/**
 * A store's `lock()` options with the defaults every store uses (`DEFAULT_LOCK_TTL_MS`,
 * `DEFAULT_LOCK_TIMEOUT_MS`), checked once for all stores: `ttlMs` must be a positive finite
 * number of milliseconds and `timeoutMs` not negative, else `invalid_configuration`.
 *
 * @example
 * ```ts
 * import { type LockOptions, resolveLockOptions } from '@mcp-oauth/core/store';
 *
 * function lock(key: string, options?: LockOptions) {
 *   const { ttlMs, timeoutMs } = resolveLockOptions(options);
 *   console.log(`locking ${key} for ${ttlMs} ms, waiting up to ${timeoutMs} ms`);
 * }
 * ```
 */
export function resolveLockOptions(options: LockOptions = {}): {
  /** How long the lease lives if its holder dies, in ms. */
  ttlMs: number;
  /** How long to wait for a lock held elsewhere, in ms. */
  timeoutMs: number;
} {
  const ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  if (!(ttlMs > 0) || !Number.isFinite(ttlMs)) {
    throw new McpOAuthError(
      'invalid_configuration',
      'Lock ttlMs must be a positive number of milliseconds.',
      { details: { option: 'ttlMs' } },
    );
  }
  if (!(timeoutMs >= 0)) {
    throw new McpOAuthError('invalid_configuration', 'Lock timeoutMs must not be negative.', {
      details: { option: 'timeoutMs' },
    });
  }
  return { ttlMs, timeoutMs };
}
