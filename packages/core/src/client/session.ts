import { canonicalResource } from '../discovery/canonical-resource.ts';
import { discoverProtectedResource } from '../discovery/protected-resource.ts';
import { ensureMcpOAuthError, McpOAuthError, type McpOAuthErrorOptions } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import { runFlow } from '../flow/run.ts';
import type { AuthorizedState, FlowState } from '../flow/states.ts';
import { refreshGrant } from '../grants/refresh.ts';
import type { Interaction } from '../interaction/types.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import { clientRejected, rejectsClient } from '../registration/rejects-client.ts';
import { resolveClient } from '../registration/resolve-client.ts';
import { storeKeys } from '../store/keys.ts';
import {
  type ClientRecord,
  type DiscoveryRecord,
  readRecord,
  type TokensRecord,
  toStoreRecord,
} from '../store/records.ts';
import { isFresh } from '../tokens/freshness.ts';
import { type RetryPolicy, withRetries } from '../tokens/retry.ts';

export interface SessionOptions {
  serverUrl: string;
  config: ClientConfig;
  interaction?: Interaction | readonly Interaction[];
  scopes?: string[];
  refreshSkewMs: number;
  retry: RetryPolicy;
  lockTtlMs: number;
  lockTimeoutMs: number;
  onState?: (state: FlowState) => void;
}

/** The session's operations (see `ServerSession`). */
export interface ServerSession {
  readonly resourceKey: string;
  cachedDiscovery(): Promise<DiscoveryRecord | undefined>;
  storedTokens(): Promise<TokensRecord | undefined>;
  freshInMemory(): TokensRecord | undefined;
  /** The stored tokens, or reauthorization_required ("log in first"). */
  requireTokens(): Promise<TokensRecord>;
  /** The client registered with the discovered authorization server. */
  clientFor(discovery: DiscoveryRecord): Promise<ClientRecord>;
  usableOrAuthorize(): Promise<TokensRecord | undefined>;
  refresh(stale: TokensRecord): Promise<TokensRecord>;
  authorize(args?: AuthorizeArgs): Promise<TokensRecord>;
  forget(): void;
  authorizationServerMoved(resourceMetadataUrl?: string): Promise<boolean>;
  requireDiscovery(): Promise<DiscoveryRecord>;
}

/** Copied into the start state as they are (after `scopes`): callers set only what they have. */
interface AuthorizeArgs {
  scopes?: string[];
  resourceMetadataUrl?: string;
  challengeScope?: string;
  rediscover?: true;
}

/**
 * Tokens for one MCP server: loads them from the store, refreshes them by the
 * rules of DESIGN.md (proactive, single-flight, under the store's lock, re-read
 * after locking, persisted before use, compare-before-delete on invalid_grant),
 * and runs the authorization flow when there are none. A closure rather than a
 * class, so that its private state minifies; `new ServerSession(...)` still works.
 */
export const ServerSession = function ServerSession(
  ctx: FlowContext,
  options: SessionOptions,
): ServerSession {
  let current: TokensRecord | undefined;
  /** Tokens the store refused to save: kept here, and saved again before any use. */
  let unsaved: TokensRecord | undefined;
  let refreshing: Promise<TokensRecord> | undefined;
  let authorizing: Promise<TokensRecord> | undefined;
  const resourceKey = canonicalResource(options.serverUrl);
  const fresh = (t: TokensRecord) => isFresh(t, ctx.now(), options.refreshSkewMs);

  /** The cached discovery record, without any request. */
  const cachedDiscovery = async (): Promise<DiscoveryRecord | undefined> => {
    const key = storeKeys.discovery(resourceKey);
    return readRecord(await ctx.store.get(key), 'discovery', key);
  };

  /** Stored tokens (memory first), without refreshing. */
  const storedTokens = async (): Promise<TokensRecord | undefined> => {
    if (unsaved) await save(unsaved);
    if (current) return current;
    const discovery = await cachedDiscovery();
    if (!discovery) return undefined;
    const key = storeKeys.tokens(discovery.issuer, discovery.resource);
    current = readRecord(await ctx.store.get(key), 'tokens', key);
    return current;
  };

  /** Tokens fit to send now: refreshed first when due. Undefined when there are none. */
  const usableTokens = async (): Promise<TokensRecord | undefined> => {
    const tokens = await storedTokens();
    if (!tokens) return undefined;
    if (fresh(tokens)) return tokens;
    if (!tokens.refreshToken) {
      // An expired token without a refresh token: someone else may have re-authorized.
      current = undefined;
      const reread = await storedTokens();
      return reread && fresh(reread) ? reread : undefined;
    }
    return refresh(tokens);
  };

  /** Single-flight refresh of `stale` (in this process; the store's lock serializes across processes). */
  const refresh = (stale: TokensRecord): Promise<TokensRecord> => {
    refreshing ??= refreshLocked(stale)
      .catch(async (e) =>
        (await import('../observe/refresh-failed.ts')).refreshFailed(ctx, stale, e),
      )
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };

  const refreshLocked = async (stale: TokensRecord): Promise<TokensRecord> => {
    const key = storeKeys.tokens(stale.issuer, stale.resource);
    const lock = await ctx.store.lock(key, {
      ttlMs: options.lockTtlMs,
      timeoutMs: options.lockTimeoutMs,
    });
    try {
      const latest = unsaved ?? readRecord(await ctx.store.get(key), 'tokens', key);
      if (!latest) {
        current = undefined;
        throw new McpOAuthError(
          'reauthorization_required',
          'The stored tokens were removed (logged out elsewhere): authorize again.',
        );
      }
      if (latest.accessToken !== stale.accessToken && fresh(latest)) {
        current = latest;
        ctx.emit({
          type: 'refresh_skipped',
          issuer: latest.issuer,
          resource: latest.resource,
          reason: 'refreshed_elsewhere',
        });
        return latest;
      }
      const discovery = await requireDiscovery();
      const as = discovery.authorizationServerMetadata;
      const client = await clientFor(discovery);
      if (client.clientId !== latest.clientId) {
        throw new McpOAuthError(
          'reauthorization_required',
          'The tokens were issued to another client registration: authorize again.',
        );
      }
      let renewed: TokensRecord;
      try {
        renewed = await withRetries(ctx, as.token_endpoint ?? as.issuer, options.retry, () =>
          refreshGrant(ctx, {
            as,
            client,
            config: options.config,
            tokens: latest,
            resourceMetadata: discovery.resourceMetadata,
          }),
        );
      } catch (error) {
        if (McpOAuthError.is(error, 'invalid_grant')) await forgetIfUnchanged(key, latest, error);
        if (rejectsClient(error)) {
          const rejected = await clientRejected(ctx, client, error);
          // the tokens belong to the registration the server forgot: a new authorization is needed
          if (rejected.details.registrationDropped)
            await forgetIfUnchanged(key, latest, rejected, 'invalid_client');
          throw rejected;
        }
        throw error;
      }
      await save(renewed);
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
  };

  /**
   * invalid_grant (or invalid_client for a registration the server forgot, `cause` then being
   * the error to throw): delete the tokens only if the stored refresh token is still the one
   * that failed.
   */
  const forgetIfUnchanged = async (
    key: string,
    failed: TokensRecord,
    cause: McpOAuthError,
    reason: 'invalid_grant' | 'invalid_client' = 'invalid_grant',
  ): Promise<never> => {
    const stored = readRecord(await ctx.store.get(key), 'tokens', key);
    if (stored && stored.refreshToken === failed.refreshToken) {
      await ctx.store.delete(key);
      ctx.emit({
        type: 'tokens_deleted',
        issuer: failed.issuer,
        resource: failed.resource,
        reason,
      });
    }
    if (unsaved?.refreshToken === failed.refreshToken) unsaved = undefined;
    current = undefined;
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
  };

  /** Runs the authorization flow once at a time; concurrent callers share it. */
  const authorize = (args: AuthorizeArgs = {}): Promise<TokensRecord> => {
    authorizing ??= authorizeNow(args).finally(() => {
      authorizing = undefined;
    });
    return authorizing;
  };

  /** A registration the server forgot is dropped by the flow: the flow runs once more, registering anew. */
  const authorizeNow = async (args: AuthorizeArgs): Promise<TokensRecord> => {
    try {
      return await authorizeOnce(args);
    } catch (error) {
      if (!McpOAuthError.isInstance(error) || error.details.registrationDropped !== true)
        throw error;
      return authorizeOnce(args);
    }
  };

  const authorizeOnce = async ({
    scopes = options.scopes,
    ...rest
  }: AuthorizeArgs): Promise<TokensRecord> => {
    // not prompted by a 401: the server's challenge first, as a first MCP request would get it
    const probed =
      scopes || rest.challengeScope || rest.resourceMetadataUrl
        ? {}
        : await (await import('../discovery/probe-challenge.ts')).probeChallenge(
            ctx,
            options.serverUrl,
          );
    const done: AuthorizedState = await runFlow(
      ctx,
      {
        step: 'start',
        serverUrl: options.serverUrl,
        ...(scopes ? { requestedScopes: scopes } : {}),
        ...probed, // challengeScope, resourceMetadataUrl: set only when the server gave them
        ...rest, // resourceMetadataUrl, challengeScope, rediscover: set only when given
      },
      options.config,
      options.interaction,
      options,
    );
    return done.tokens;
  };

  /** Persists tokens before use. A failed write keeps them in memory (never dropped) and throws. */
  const save = async (tokens: TokensRecord): Promise<void> => {
    current = tokens;
    try {
      await ctx.store.set(storeKeys.tokens(tokens.issuer, tokens.resource), toStoreRecord(tokens));
      if (
        unsaved === tokens ||
        (unsaved?.obtainedAt !== undefined && unsaved.obtainedAt <= tokens.obtainedAt)
      )
        unsaved = undefined;
    } catch (error) {
      unsaved = tokens;
      const message =
        'New tokens could not be saved; they are kept in memory and will be saved again before use.';
      ctx.emit({
        type: 'failure',
        code: McpOAuthError.isInstance(error) ? error.code : 'store_write_failed',
        message,
      });
      throw ensureMcpOAuthError(error, 'store_write_failed', message);
    }
  };

  const clientFor = (discovery: DiscoveryRecord): Promise<ClientRecord> =>
    resolveClient(ctx, discovery.authorizationServerMetadata, options.config, { grantTypes: [] });

  const requireDiscovery = async (): Promise<DiscoveryRecord> => {
    const discovery = await cachedDiscovery();
    if (!discovery)
      throw new McpOAuthError(
        'reauthorization_required',
        `Nothing is known about ${resourceKey} yet: authorize first.`,
      );
    return discovery;
  };

  ctx.saveTokens = save;
  return {
    resourceKey,
    cachedDiscovery,
    storedTokens,
    /** The tokens in memory when they can be sent as they are (the hot path: no await). */
    freshInMemory: () => (current && !unsaved && fresh(current) ? current : undefined),
    async requireTokens() {
      const tokens = await storedTokens();
      if (!tokens)
        throw new McpOAuthError(
          'reauthorization_required',
          `No tokens are stored for ${resourceKey}: log in first.`,
        );
      return tokens;
    },
    clientFor,
    /** Usable tokens, or a new authorization when the refresh token was rejected; undefined when there are none. */
    async usableOrAuthorize() {
      try {
        return await usableTokens();
      } catch (error) {
        if (!McpOAuthError.is(error, 'reauthorization_required')) throw error;
        return authorize().catch(async (failure: unknown) => {
          const { reauthorizationFailure } = await import('./reauthorization-failure.ts');
          throw reauthorizationFailure(failure, error);
        });
      }
    },
    refresh,
    authorize,
    /** Forgets tokens in memory (after logout or when the server rejected them). */
    forget() {
      current = undefined;
      unsaved = undefined;
    },
    /**
     * After a 401 on a token that was sent: does the resource's metadata (fetched
     * again, one GET) still list the issuer the tokens came from? When it does
     * not, the server moved to another authorization server (MCP: credentials are
     * bound to their issuer), and the caller re-discovers and re-registers.
     * Unknown (no cached record, legacy discovery, a failed fetch) reads as "not moved".
     */
    async authorizationServerMoved(resourceMetadataUrl) {
      const cached = await cachedDiscovery();
      if (!cached || cached.legacy) return false;
      try {
        const prm = await discoverProtectedResource(ctx.oauthFetch, options.serverUrl, {
          maxBytes: ctx.maxResponseBytes,
          resourceMetadataUrl: resourceMetadataUrl ?? cached.resourceMetadataUrl,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        return !prm.metadata.authorization_servers.includes(cached.issuer);
      } catch {
        return false;
      }
    },
    requireDiscovery,
  };
} as unknown as new (
  ctx: FlowContext,
  options: SessionOptions,
) => ServerSession;
