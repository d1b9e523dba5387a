import { dpopBoundWithoutOption } from '../discovery/dpop-option-missing.ts';
import { McpOAuthError, type McpOAuthErrorOptions } from '../errors/error.ts';
import { refreshGrant } from '../grants/refresh-token-grant.ts';
import { clientRejected, rejectsClient } from '../registration/rejects-client.ts';
import { withRetries } from '../retry/with-retries.ts';
import { readRecord, type TokensRecord } from '../store/records.ts';
import { clientFor } from './client-for.ts';
import { requireDiscovery } from './load-tokens.ts';
import type { ServerSession } from './session.ts';

// The refresh request of refresh.ts's `refreshLocked`, with DESIGN.md's refresh rules 4 and 5:
// loaded when a refresh is due, with the grant code and oauth4webapi.

/**
 * The refresh_token grant, under the lock. Rule 5: transient failures are retried with backoff
 * and honour Retry-After; the tokens are kept. Which failures: those the server certainly did
 * not act on (refused connection, 429, 503), not a 502 or a reset, whose lost answer may have
 * rotated the refresh token (retry/policy.ts). Rule 4 on invalid_grant (and on invalid_client
 * for a registration the server forgot). Tokens of another issuer or resource than the
 * discovery record's are never sent (MCP: tokens are bound to their issuer and resource).
 */
export async function requestRefresh(
  session: ServerSession,
  key: string,
  latest: TokensRecord,
): Promise<TokensRecord> {
  const { ctx, options } = session;
  const discovery = await requireDiscovery(session);
  // Tokens are bound to (issuer, resource): when discovery has moved on to another
  // authorization server (another process rediscovered, a step-up rediscovered and stopped),
  // the refresh token stays with its issuer; no request, not even a registration, goes out.
  if (latest.issuer !== discovery.issuer || latest.resource !== discovery.resource) {
    session.current = undefined;
    throw new McpOAuthError(
      'reauthorization_required',
      `The tokens were issued by ${latest.issuer} for ${latest.resource}, and ${discovery.issuer} now protects ${discovery.resource}: authorize again.`,
      { details: { issuer: discovery.issuer, tokensIssuer: latest.issuer } },
    );
  }
  // a DPoP-bound refresh token without a key to prove it with: refused here, not by the server
  // (whose invalid_grant would delete tokens another application on the store still uses)
  if (latest.dpopJkt && !ctx.dpop) throw dpopBoundWithoutOption(latest.resource);
  const as = discovery.authorizationServerMetadata;
  const client = await clientFor(session, discovery, latest.clientId);
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
