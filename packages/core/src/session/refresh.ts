import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import { storeKeys } from '../store/keys.ts';
import { readRecord, type TokensRecord } from '../store/records.ts';
import { loadTokens } from './load-tokens.ts';
import { saveTokens } from './save-tokens.ts';
import { type ServerSession, whileArmed } from './session.ts';

// DESIGN.md's refresh rules, in the order a refresh meets them. Each rule has a test named
// after it in test/e2e/session/refresh.test.ts (against the real authorization server).
// The request itself and rules 4 and 5 are in request-refresh.ts, loaded at the first refresh:
// a client whose tokens are fresh never loads the grant code (nor oauth4webapi).

/**
 * Rule 1: refresh proactively before expiry (a skew margin), not only after a 401.
 * The refresh is due `skewMs` before expiry, but never earlier than halfway through the
 * token's life (so short-lived tokens are still used). Undefined: no expiry, never due.
 */
export function refreshDueAt(tokens: TokensRecord, skewMs: number): number | undefined {
  if (tokens.expiresAt === undefined) return undefined;
  const life = tokens.expiresAt - tokens.obtainedAt;
  return tokens.expiresAt - Math.min(skewMs, Math.max(0, life / 2));
}

export function isFresh(session: ServerSession, tokens: TokensRecord): boolean {
  const due = refreshDueAt(tokens, session.options.refreshSkewMs);
  return due === undefined || session.ctx.now() < due;
}

/** The tokens in memory when they can be sent as they are (the hot path: no await). */
export function freshInMemory(session: ServerSession): TokensRecord | undefined {
  const { current } = session;
  return current && !session.unsaved && isFresh(session, current) ? current : undefined;
}

/** Tokens fit to send now (rule 1: refreshed first when due). Undefined when there are none. */
export async function usableTokens(session: ServerSession): Promise<TokensRecord | undefined> {
  const tokens = await loadTokens(session);
  if (!tokens) return undefined;
  if (isFresh(session, tokens)) return tokens;
  if (!tokens.refreshToken) {
    // An expired token without a refresh token: someone else may have re-authorized.
    session.current = undefined;
    const reread = await loadTokens(session);
    return reread && isFresh(session, reread) ? reread : undefined;
  }
  return refresh(session, tokens);
}

/**
 * Rule 2: single-flight. Concurrent callers in this process share one refresh of `stale`;
 * across processes and machines the store's lock serializes it.
 */
export function refresh(session: ServerSession, stale: TokensRecord): Promise<TokensRecord> {
  session.refreshing ??= refreshLocked(session, stale)
    .catch(async (e) =>
      (await import('../observe/refresh-failed.ts')).refreshFailed(session.ctx, stale, e),
    )
    .finally(() => {
      session.refreshing = undefined;
    });
  return session.refreshing;
}

/**
 * Rule 2, continued: whoever acquires the lock re-reads the record first, because another
 * holder may already have refreshed.
 */
function refreshLocked(session: ServerSession, stale: TokensRecord): Promise<TokensRecord> {
  return whileArmed(session, (ctx) => refreshUnderLock(session, ctx, stale));
}

async function refreshUnderLock(
  session: ServerSession,
  ctx: FlowContext,
  stale: TokensRecord,
): Promise<TokensRecord> {
  const { options } = session;
  const key = storeKeys.tokens(stale.issuer, stale.resource);
  const lock = await ctx.store.lock(key, {
    ttlMs: options.lockTtlMs,
    timeoutMs: options.lockTimeoutMs,
  });
  try {
    const latest = session.unsaved ?? readRecord(await ctx.store.get(key), 'tokens', key);
    if (!latest) {
      session.current = undefined;
      throw new McpOAuthError(
        'reauthorization_required',
        'The stored tokens were removed (logged out elsewhere): authorize again.',
      );
    }
    if (latest.accessToken !== stale.accessToken && isFresh(session, latest)) {
      session.current = latest;
      ctx.emit({
        type: 'refresh_skipped',
        issuer: latest.issuer,
        resource: latest.resource,
        reason: 'refreshed_elsewhere',
      });
      return latest;
    }
    const { requestRefresh } = await import('./request-refresh.ts');
    const renewed = await requestRefresh(session, key, latest);
    // Rule 3: persist the new tokens before using them. A rotated refresh token is never lost.
    await saveTokens(session, renewed);
    ctx.emit({
      type: 'refreshed',
      issuer: renewed.issuer,
      resource: renewed.resource,
      expiresAt: renewed.expiresAt,
      rotated: renewed.refreshToken !== latest.refreshToken,
    });
    return renewed;
  } finally {
    await lock.release();
  }
}
