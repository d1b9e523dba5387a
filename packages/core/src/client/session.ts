import { canonicalResource } from '../discovery/canonical-resource.ts';
import { discoverProtectedResource } from '../discovery/protected-resource.ts';
import { ensureMcpOAuthError, McpOAuthError, type McpOAuthErrorOptions } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import { runFlow } from '../flow/run.ts';
import type { AuthorizedState, FlowState } from '../flow/states.ts';
import { refreshGrant } from '../grants/refresh.ts';
import type { Interaction } from '../interaction/types.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import { resolveClient } from '../registration/resolve-client.ts';
import { storeKeys } from '../store/keys.ts';
import {
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

/**
 * Tokens for one MCP server: loads them from the store, refreshes them by the
 * rules of DESIGN.md (proactive, single-flight, under the store's lock, re-read
 * after locking, persisted before use, compare-before-delete on invalid_grant),
 * and runs the authorization flow when there are none.
 */
export class ServerSession {
  // declared only (no class field emitted): each starts undefined
  declare private current: TokensRecord | undefined;
  /** Tokens the store refused to save: kept here, and saved again before any use. */
  declare private unsaved: TokensRecord | undefined;
  declare private refreshing: Promise<TokensRecord> | undefined;
  declare private authorizing: Promise<TokensRecord> | undefined;
  declare readonly resourceKey: string;

  constructor(
    private readonly ctx: FlowContext,
    private readonly options: SessionOptions,
  ) {
    this.resourceKey = canonicalResource(options.serverUrl);
    ctx.saveTokens = (tokens) => this.save(tokens);
  }

  /** The cached discovery record, without any request. */
  async cachedDiscovery(): Promise<DiscoveryRecord | undefined> {
    const key = storeKeys.discovery(this.resourceKey);
    return readRecord(await this.ctx.store.get(key), 'discovery', key);
  }

  /** Stored tokens (memory first), without refreshing. */
  async storedTokens(): Promise<TokensRecord | undefined> {
    if (this.unsaved) await this.save(this.unsaved);
    if (this.current) return this.current;
    const discovery = await this.cachedDiscovery();
    if (!discovery) return undefined;
    const key = storeKeys.tokens(discovery.issuer, discovery.resource);
    this.current = readRecord(await this.ctx.store.get(key), 'tokens', key);
    return this.current;
  }

  /** The tokens in memory when they can be sent as they are (the hot path: no await). */
  freshInMemory(): TokensRecord | undefined {
    const t = this.current;
    return t && !this.unsaved && isFresh(t, this.ctx.now(), this.options.refreshSkewMs)
      ? t
      : undefined;
  }

  /** Usable tokens, or a new authorization when the refresh token was rejected; undefined when there are none. */
  async usableOrAuthorize(): Promise<TokensRecord | undefined> {
    try {
      return await this.usableTokens();
    } catch (error) {
      if (McpOAuthError.is(error, 'reauthorization_required')) return this.authorize();
      throw error;
    }
  }

  /** Tokens fit to send now: refreshed first when due. Undefined when there are none. */
  async usableTokens(): Promise<TokensRecord | undefined> {
    const tokens = await this.storedTokens();
    if (!tokens) return undefined;
    if (isFresh(tokens, this.ctx.now(), this.options.refreshSkewMs)) return tokens;
    if (!tokens.refreshToken) {
      // An expired token without a refresh token: someone else may have re-authorized.
      this.current = undefined;
      const reread = await this.storedTokens();
      return reread && isFresh(reread, this.ctx.now(), this.options.refreshSkewMs)
        ? reread
        : undefined;
    }
    return this.refresh(tokens);
  }

  /** Single-flight refresh of `stale` (in this process; the store's lock serializes across processes). */
  refresh(stale: TokensRecord): Promise<TokensRecord> {
    this.refreshing ??= this.refreshLocked(stale).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refreshLocked(stale: TokensRecord): Promise<TokensRecord> {
    const key = storeKeys.tokens(stale.issuer, stale.resource);
    const lock = await this.ctx.store.lock(key, {
      ttlMs: this.options.lockTtlMs,
      timeoutMs: this.options.lockTimeoutMs,
    });
    try {
      const latest = this.unsaved ?? readRecord(await this.ctx.store.get(key), 'tokens', key);
      if (!latest) {
        this.current = undefined;
        throw new McpOAuthError(
          'reauthorization_required',
          'The stored tokens were removed (logged out elsewhere): authorize again.',
        );
      }
      if (
        latest.accessToken !== stale.accessToken &&
        isFresh(latest, this.ctx.now(), this.options.refreshSkewMs)
      ) {
        this.current = latest;
        this.ctx.emit({
          type: 'refresh_skipped',
          issuer: latest.issuer,
          resource: latest.resource,
          reason: 'refreshed_elsewhere',
        });
        return latest;
      }
      const discovery = await this.requireDiscovery();
      const as = discovery.authorizationServerMetadata;
      const client = await resolveClient(this.ctx, as, this.options.config, {
        redirectUri: undefined,
        grantTypes: [],
      });
      if (client.clientId !== latest.clientId) {
        throw new McpOAuthError(
          'reauthorization_required',
          'The tokens were issued to another client registration: authorize again.',
        );
      }
      let fresh: TokensRecord;
      try {
        fresh = await withRetries(
          this.ctx,
          as.token_endpoint ?? as.issuer,
          this.options.retry,
          () => refreshGrant(this.ctx, { as, client, config: this.options.config, tokens: latest }),
        );
      } catch (error) {
        if (McpOAuthError.is(error, 'invalid_grant'))
          await this.forgetIfUnchanged(key, latest, error);
        throw error;
      }
      await this.save(fresh);
      this.ctx.emit({
        type: 'refreshed',
        issuer: fresh.issuer,
        resource: fresh.resource,
        expiresAt: fresh.expiresAt,
        rotated: fresh.refreshToken !== latest.refreshToken,
      });
      return fresh;
    } finally {
      await lock.release();
    }
  }

  /** invalid_grant: delete the tokens only if the stored refresh token is still the one that failed. */
  private async forgetIfUnchanged(
    key: string,
    failed: TokensRecord,
    cause: McpOAuthError,
  ): Promise<never> {
    const stored = readRecord(await this.ctx.store.get(key), 'tokens', key);
    if (stored && stored.refreshToken === failed.refreshToken) {
      await this.ctx.store.delete(key);
      this.ctx.emit({
        type: 'tokens_deleted',
        issuer: failed.issuer,
        resource: failed.resource,
        reason: 'invalid_grant',
      });
    }
    if (this.unsaved?.refreshToken === failed.refreshToken) this.unsaved = undefined;
    this.current = undefined;
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

  /** Runs the authorization flow once at a time; concurrent callers share it. */
  authorize(
    args: {
      challengeScope?: string;
      resourceMetadataUrl?: string;
      scopes?: string[];
      rediscover?: boolean;
    } = {},
  ): Promise<TokensRecord> {
    this.authorizing ??= this.authorizeNow(args).finally(() => {
      this.authorizing = undefined;
    });
    return this.authorizing;
  }

  private async authorizeNow(args: {
    challengeScope?: string;
    resourceMetadataUrl?: string;
    scopes?: string[];
    rediscover?: boolean;
  }): Promise<TokensRecord> {
    const scopes = args.scopes ?? this.options.scopes;
    const done: AuthorizedState = await runFlow(
      this.ctx,
      {
        step: 'start',
        serverUrl: this.options.serverUrl,
        ...(scopes ? { requestedScopes: scopes } : {}),
        ...(args.resourceMetadataUrl ? { resourceMetadataUrl: args.resourceMetadataUrl } : {}),
        ...(args.challengeScope ? { challengeScope: args.challengeScope } : {}),
        ...(args.rediscover ? { rediscover: true } : {}),
      },
      this.options.config,
      this.options.interaction,
      this.options.onState ? { onState: this.options.onState } : {},
    );
    return done.tokens;
  }

  /** Persists tokens before use. A failed write keeps them in memory (never dropped) and throws. */
  async save(tokens: TokensRecord): Promise<void> {
    this.current = tokens;
    try {
      await this.ctx.store.set(
        storeKeys.tokens(tokens.issuer, tokens.resource),
        toStoreRecord(tokens),
      );
      if (
        this.unsaved === tokens ||
        (this.unsaved?.obtainedAt !== undefined && this.unsaved.obtainedAt <= tokens.obtainedAt)
      )
        this.unsaved = undefined;
    } catch (error) {
      this.unsaved = tokens;
      this.ctx.emit({
        type: 'failure',
        code: McpOAuthError.isInstance(error) ? error.code : 'store_write_failed',
        message:
          'New tokens could not be saved; they are kept in memory and will be saved again before use.',
      });
      throw ensureMcpOAuthError(
        error,
        'store_write_failed',
        'New tokens could not be saved; they are kept in memory and will be saved again before use.',
      );
    }
  }

  /** Forgets tokens in memory (after logout or when the server rejected them). */
  forget(): void {
    this.current = undefined;
    this.unsaved = undefined;
  }

  /**
   * After a 401 on a token that was sent: does the resource's metadata (fetched
   * again, one GET) still list the issuer the tokens came from? When it does
   * not, the server moved to another authorization server (MCP: credentials are
   * bound to their issuer), and the caller re-discovers and re-registers.
   * Unknown (no cached record, legacy discovery, a failed fetch) reads as "not moved".
   */
  async authorizationServerMoved(resourceMetadataUrl?: string): Promise<boolean> {
    const cached = await this.cachedDiscovery();
    if (!cached || cached.legacy) return false;
    try {
      const prm = await discoverProtectedResource(this.ctx.oauthFetch, this.options.serverUrl, {
        maxBytes: this.ctx.maxResponseBytes,
        resourceMetadataUrl: resourceMetadataUrl ?? cached.resourceMetadataUrl,
        ...(this.ctx.signal ? { signal: this.ctx.signal } : {}),
      });
      return !prm.metadata.authorization_servers.includes(cached.issuer);
    } catch {
      return false;
    }
  }

  async requireDiscovery(): Promise<DiscoveryRecord> {
    const discovery = await this.cachedDiscovery();
    if (!discovery)
      throw new McpOAuthError(
        'reauthorization_required',
        `Nothing is known about ${this.resourceKey} yet: authorize first.`,
      );
    return discovery;
  }
}
