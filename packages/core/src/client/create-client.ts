import type { PendingAuthorization } from '../authorization/pending.ts';
import { ensureMcpOAuthError, McpOAuthError } from '../errors/error.ts';
import { checkClientOptions } from '../flow/check-options.ts';
import { createFlowContext } from '../flow/create-flow-context.ts';
import { asTransportError } from '../http/guarded-fetch.ts';
import type { FetchLike, FetchMiddleware } from '../http/types.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import { authorize, usableTokensOrReauthorize } from '../session/authorize.ts';
import { loadTokens, requireTokens } from '../session/load-tokens.ts';
import { refresh } from '../session/refresh.ts';
import {
  armed,
  createSession,
  type ServerSession,
  type SessionOptions,
  whileArmed,
} from '../session/session.ts';
import { authorizationHeaders } from './authorization-headers.ts';
import type { ClientInternals } from './internals.ts';
import { tokenInfo, tokenStatus } from './token-info.ts';
import type { AuthorizationParams, McpOAuthClient, OAuthClientOptions } from './types.ts';

/**
 * Creates the OAuth client for one MCP server. Nothing happens on the network until the first
 * request: discovery, registration, consent and the token exchange run when a token is needed.
 *
 * @example
 * ```ts
 * import { createOAuthClient, memoryStore } from '@mcp-oauth/core';
 * import { clientCredentials } from '@mcp-oauth/core/client-credentials';
 *
 * const oauth = createOAuthClient({
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   store: memoryStore(),
 *   interaction: clientCredentials(),
 *   client: { clientId: 'my-service', clientSecret: 'from-your-secret-store' },
 * });
 * const token = await oauth.getAccessToken();
 * ```
 */
export function createOAuthClient(options: OAuthClientOptions): McpOAuthClient {
  return new OAuthClient(options);
}

/**
 * The client: its methods are shared (on the prototype), its state is one session, and what
 * only some clients use (the authorized fetch, the set of operations under way, the lifetime
 * that dispose aborts) is made when first used. The flow, the grants and oauth4webapi are
 * loaded when a token is missing or due; a gateway holding one client per user pays a few
 * hundred bytes per client (bench/gateway.mjs).
 */
class OAuthClient implements McpOAuthClient {
  readonly serverUrl: string;
  readonly #session: ServerSession;
  /** The operations under way (not fetches, which may be long streams): dispose waits for them. */
  #pending: Set<Promise<unknown>> | undefined;
  #fetch: FetchLike | undefined;

  constructor(options: OAuthClientOptions) {
    checkClientOptions(options);
    const serverUrl = String(options.serverUrl);
    this.serverUrl = serverUrl;
    const session: SessionOptions = {
      serverUrl,
      config: options.client ?? NO_CONFIG,
      refreshSkewMs: options.refreshSkewMs ?? 60_000,
      lockTtlMs: options.lock?.ttlMs ?? 30_000,
      lockTimeoutMs: options.lock?.timeoutMs ?? 60_000,
    };
    // only the options given: most clients set none of them
    if (options.interaction) session.interaction = options.interaction;
    if (options.scopes) session.scopes = options.scopes;
    if (options.authorizationParams) session.authorizationParams = options.authorizationParams;
    if (options.onState) session.onState = options.onState;
    if (options.maxStepUps !== undefined) session.maxStepUps = options.maxStepUps;
    if (options.replayOnUnauthorized !== undefined)
      session.replayOnUnauthorized = options.replayOnUnauthorized;
    this.#session = createSession(createFlowContext(options), session);
  }

  /** Authorized fetch for this server, made at first use. */
  get fetch(): FetchLike {
    if (!this.#fetch) {
      const next = reaching(this.#session.ctx.fetch);
      this.#fetch = (input, init) => this.#authorizedFetch(next, input, init);
    }
    return this.#fetch;
  }

  middleware(): FetchMiddleware {
    return (next) => {
      const reach = reaching(next);
      return (input, init) => this.#authorizedFetch(reach, input, init);
    };
  }

  async #authorizedFetch(
    next: NextFetch,
    input: string | URL | Request,
    init: RequestInit | undefined,
  ): Promise<Response> {
    try {
      authorizedFetch ??= (await import('../fetch/authorized-fetch.ts')).authorizedFetch;
      return await authorizedFetch(this.#session, next, input, init);
    } catch (error) {
      // the caller's abort, as fetch reports it (the signal's reason), whichever step saw it
      const signal =
        init?.signal ?? (typeof input === 'object' && 'signal' in input ? input.signal : undefined);
      if (signal?.aborted) throw signal.reason;
      return this.#fail(error);
    }
  }

  #fail(error: unknown): never {
    const e = ensureMcpOAuthError(error, 'invalid_response', 'Unexpected failure.');
    this.#session.ctx.emit({ type: 'failure', code: e.code, message: e.message });
    throw e;
  }

  /**
   * Runs an operation, reporting its failure as a `failure` event; dispose waits for it. The
   * operations that send OAuth requests arm the session first (`armed`), so that dispose aborts them.
   */
  #reported<T>(operation: (session: ServerSession) => Promise<T>): Promise<T> {
    const session = this.#session;
    const running = operation(session).catch((error: unknown) => this.#fail(error));
    this.#pending ??= new Set();
    const pending = this.#pending;
    pending.add(running);
    const done = () => {
      pending.delete(running);
      if (pending.size === 0 && this.#pending === pending) this.#pending = undefined;
    };
    running.then(done, done);
    return running;
  }

  /** `#reported` for an operation that sends OAuth requests itself. */
  #sending<T>(operation: (session: ServerSession) => Promise<T>): Promise<T> {
    return this.#reported((session) => whileArmed(session, () => operation(session)));
  }

  getAccessToken(): Promise<string> {
    return this.#reported(
      async (session) =>
        ((await usableTokensOrReauthorize(session)) ?? (await authorize(session))).accessToken,
    );
  }

  authorize(o: { scopes?: string[]; authorizationParams?: AuthorizationParams } = {}) {
    return this.#reported(async (session) =>
      tokenInfo(
        await authorize(session, {
          ...(o.scopes ? { scopes: o.scopes } : {}),
          ...(o.authorizationParams ? { authorizationParams: o.authorizationParams } : {}),
        }),
      ),
    );
  }

  // the redirect flow of web apps: loaded when used
  beginAuthorization(o: {
    redirectUri: string;
    scopes?: string[];
    authorizationParams?: AuthorizationParams;
  }) {
    return this.#sending(async (session) =>
      (await import('../session/redirect-authorization.ts')).beginAuthorization(session, o),
    );
  }

  completeAuthorization(pending: PendingAuthorization, callbackUrl: string) {
    return this.#sending(async (session) =>
      tokenInfo(
        await (await import('../session/redirect-authorization.ts')).completeAuthorization(
          session,
          pending,
          callbackUrl,
        ),
      ),
    );
  }

  refresh() {
    return this.#reported(async (session) =>
      tokenInfo(await refresh(session, await requireTokens(session))),
    );
  }

  status() {
    return this.#reported(async (session) => {
      const tokens = await loadTokens(session);
      return tokens ? tokenStatus(tokens, session.ctx.now()) : undefined;
    });
  }

  hasValidTokens() {
    return this.#reported(async (session) => {
      const tokens = await loadTokens(session);
      if (!tokens) return false;
      return tokens.refreshToken !== undefined || !tokenStatus(tokens, session.ctx.now()).isExpired;
    });
  }

  authorizationHeaders() {
    return this.#reported((session) => authorizationHeaders(session));
  }

  // revocation and introspection: loaded when used, not in the application's first chunk
  revokeToken(token: string, hint?: 'access_token' | 'refresh_token') {
    return this.#sending(async (session) =>
      (await import('./revoke-one-token.ts')).revokeOneToken(
        session.ctx,
        session,
        session.options.config,
        token,
        hint,
      ),
    );
  }

  async introspect(which?: 'access_token' | 'refresh_token') {
    return (await import('./introspect-stored-token.ts')).introspect(this, which);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const session = this.#session;
    armed(session);
    session.lifetime?.abort(
      new McpOAuthError('interaction_failed', 'The OAuth client was disposed.'),
    );
    await Promise.allSettled([...(this.#pending ?? []), session.refreshing, session.authorizing]);
  }

  identity() {
    return this.#reported(async (session) => (await import('./identity.ts')).identity(session));
  }

  // logout and revocation: loaded when a user logs out, not in the application's first chunk
  logout(o: { revoke?: boolean } = {}) {
    return this.#sending(async (session) =>
      (await import('./logout.ts')).logout(session.ctx, session, session.options.config, o),
    );
  }

  discover(o: { refresh?: boolean } = {}) {
    return this.#sending(async (session) =>
      (await import('../flow/discover.ts')).discover(
        session.ctx,
        this.serverUrl,
        o.refresh ? { refresh: true } : {},
      ),
    );
  }

  get internals(): ClientInternals {
    const session = this.#session;
    return {
      ctx: armed(session),
      session,
      config: session.options.config,
      reported: (operation) => this.#sending(() => operation()),
    };
  }
}

/** What a middleware sends through: called with URLs only. */
type NextFetch = Parameters<FetchMiddleware>[0];

/**
 * `next` whose failures to send a request are `network_error` naming the URL (the fetch's
 * error as cause): a `TypeError: fetch failed` says nothing of the server it could not reach.
 * Only `next`'s: a store's or an interaction's failure is not the network's.
 */
function reaching(next: NextFetch): NextFetch {
  return (input, init) =>
    next(input, init).catch((error: unknown) => {
      throw asTransportError(
        error,
        input instanceof URL || typeof input === 'string' ? String(input) : (input as Request).url,
      );
    });
}

/** The client configuration of clients created without one (shared: nothing writes to it). */
const NO_CONFIG: ClientConfig = Object.freeze({});

/** The authorized fetch, once its module is loaded (the first `fetch` of any client). */
let authorizedFetch:
  | ((
      session: ServerSession,
      next: NextFetch,
      input: string | URL | Request,
      init: RequestInit | undefined,
    ) => Promise<Response>)
  | undefined;
