import { McpOAuthError } from '../errors/error.ts';
import { MAX_KEY_LENGTH } from './types.ts';

/**
 * Shared by every store: rejects keys the contract does not allow (not a string, empty, or
 * longer than {@link MAX_KEY_LENGTH}) with `invalid_configuration`.
 *
 * @example
 * ```ts
 * import { assertValidKey, type StoreRecord } from '@mcp-oauth/core/store';
 *
 * const records = new Map<string, StoreRecord>();
 * async function get(key: string): Promise<StoreRecord | undefined> {
 *   assertValidKey(key);
 *   return records.get(key);
 * }
 * ```
 */
export function assertValidKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new McpOAuthError(
      'invalid_configuration',
      `Store keys must be non-empty strings of at most ${MAX_KEY_LENGTH} characters.`,
    );
  }
}
