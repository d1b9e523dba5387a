import { ensureMcpOAuthError, McpOAuthError } from '../errors/error.ts';
import { storeKeys } from '../store/keys.ts';
import { type TokensRecord, toStoreRecord } from '../store/records.ts';
import type { ServerSession } from './session.ts';

/**
 * Persists tokens before use (refresh rule 3). A failed write keeps them in memory (never
 * dropped: a rotated refresh token exists nowhere else), and throws; they are saved again
 * before any use (`loadTokens`).
 */
export async function saveTokens(session: ServerSession, tokens: TokensRecord): Promise<void> {
  const { ctx } = session;
  session.current = tokens;
  try {
    await ctx.store.set(storeKeys.tokens(tokens.issuer, tokens.resource), toStoreRecord(tokens));
    const { unsaved } = session;
    if (
      unsaved === tokens ||
      (unsaved?.obtainedAt !== undefined && unsaved.obtainedAt <= tokens.obtainedAt)
    )
      session.unsaved = undefined;
  } catch (error) {
    session.unsaved = tokens;
    const message =
      'New tokens could not be saved; they are kept in memory and will be saved again before use.';
    ctx.emit({
      type: 'failure',
      code: McpOAuthError.isInstance(error) ? error.code : 'store_write_failed',
      message,
    });
    throw ensureMcpOAuthError(error, 'store_write_failed', message);
  }
}
