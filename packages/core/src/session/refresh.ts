import { McpOAuthError, type McpOAuthErrorOptions } from '../errors/error.ts';
import { refreshGrant } from '../grants/refresh-token-grant.ts';
import { clientRejected, rejectsClient } from '../registration/rejects-client.ts';
import { withRetries } from '../retry/with-retries.ts';
import { storeKeys } from '../store/keys.ts';
import { readRecord, type TokensRecord } from '../store/records.ts';
import { clientFor } from './client-for.ts';
import { loadTokens, requireDiscovery } from './load-tokens.ts';
import { saveTokens } from './save-tokens.ts';
import type { ServerSession } from './session.ts';

// DESIGN.md's refresh rules, in the order a refresh meets them. Each rule has a test named
// after it in test/e2e/session/refresh.test.ts (against the real authorization server).

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
async function refreshLocked(session: ServerSession, stale: TokensRecord): Promise<TokensRecord> {
  const { ctx, options } = session;
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

/**
 * The refresh_token grant, under the lock. Rule 5: transient failures are retried with backoff
 * and honour Retry-After; the tokens are kept. Which failures: those the server certainly did
 * not act on (refused connection, 429, 503), not a 502 or a reset, whose lost answer may have
 * rotated the refresh token (retry/policy.ts). Rule 4 on invalid_grant (and on invalid_client
 * for a registration the server forgot).
 */
async function requestRefresh(
  session: ServerSession,
  key: string,
  latest: TokensRecord,
): Promise<TokensRecord> {
  const { ctx, options } = session;
  const discovery = await requireDiscovery(session);
  const as = discovery.authorizationServerMetadata;
  const client = await clientFor(session, discovery);
  if (client.clientId !== latest.clientId) {
    throw new McpOAuthError(
      'reauthorization_required',
      'The tokens were issued to another client registration: authorize again.',
    );
  }
  try {
    return await withRetries(ctx, as.token_endpoint ?? as.issuer, () =>
      refreshGrant(ctx, {
        as,
        client,
        config: options.config,
        tokens: latest,
        resourceMetadata: discovery.resourceMetadata,
      }),
    );
  } catch (error) {
    if (McpOAuthError.is(error, 'grant_rejected'))
      await forgetIfUnchanged(session, key, latest, error);
    if (rejectsClient(error)) {
      const rejected = await clientRejected(ctx, client, error);
      // the tokens belong to the registration the server forgot: a new authorization is needed
      if (rejected.details.registrationDropped)
        await forgetIfUnchanged(session, key, latest, rejected, 'invalid_client');
      throw rejected;
    }
    throw error;
  }
}

/**
 * Rule 4: on `invalid_grant`, delete the tokens only if the stored refresh token is still the
 * one that failed; then report that a new authorization is needed (reauthorization_required).
 * Also on invalid_client for a registration the server forgot, `cause` then being the error
 * to throw.
 */
async function forgetIfUnchanged(
  session: ServerSession,
  key: string,
  failed: TokensRecord,
  cause: McpOAuthError,
  reason: 'invalid_grant' | 'invalid_client' = 'invalid_grant',
): Promise<never> {
  const { ctx } = session;
  const stored = readRecord(await ctx.store.get(key), 'tokens', key);
  if (stored && stored.refreshToken === failed.refreshToken) {
    await ctx.store.delete(key);
    ctx.emit({ type: 'tokens_deleted', issuer: failed.issuer, resource: failed.resource, reason });
  }
  if (session.unsaved?.refreshToken === failed.refreshToken) session.unsaved = undefined;
  session.current = undefined;
  if (reason === 'invalid_client') throw cause;
  throw new McpOAuthError(
    'reauthorization_required',
    'The refresh token was rejected (invalid_grant): authorize again.',
    {
      cause,
      oauthError: cause.oauthError,
      oauthErrorDescription: cause.oauthErrorDescription,
    } as McpOAuthErrorOptions,
  );
}
