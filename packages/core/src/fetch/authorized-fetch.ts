import { matchesCanonicalResource } from '../discovery/canonical-resource.ts';
import { sameMetadataUrl } from '../discovery/same-metadata-url.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import type { FetchLike, FetchMiddleware } from '../http/types.ts';
import {
  authorizationServerMoved,
  authorize,
  usableTokensOrReauthorize,
} from '../session/authorize.ts';
import { cachedDiscovery } from '../session/load-tokens.ts';
import { freshInMemory, refresh } from '../session/refresh.ts';
import { armed, forget, type ServerSession } from '../session/session.ts';
import type { TokensRecord } from '../store/records.ts';
import { type ReplayableRequest, toReplayable, withAuthorization } from './replayable-request.ts';
import { unlessAborted } from './unless-aborted.ts';

/** What a middleware sends through: called with URLs only. */
type NextFetch = Parameters<FetchMiddleware>[0];

// Loaded by the client at its first `fetch`; the challenge parsing and scope arithmetic of
// the 401 and 403 paths are loaded when such an answer comes.

/**
 * The middleware that authorizes requests to one MCP server, in front of the `next` fetch of a
 * chain (the client's own `fetch` is this middleware over the `fetch` option). It sends the
 * token only to the resource it was issued for; on 401 it refreshes or authorizes (once) and
 * replays the request; on 403 insufficient_scope it asks for the union of scopes and replays.
 * Other requests go to `next` untouched. Its state (the scopes refused, the endpoints a legacy
 * stream announced) is the session's, made when first needed: a client holds no closure per
 * request path.
 */
export function authorizationMiddleware(session: ServerSession): FetchMiddleware {
  return (next) => (input, init) => authorizedFetch(session, next, input, init);
}

/** Whether `url` may carry the session's token: its resource, or an endpoint a stream announced. */
function covers(session: ServerSession, url: string): boolean {
  const { announced } = session;
  return (
    matchesCanonicalResource(session.resourceKey, url) ||
    announced?.has(url.split('?')[0] ?? url) === true
  );
}

/** Sends `request` through `next` with the token (DPoP-bound tokens with a proof), or without. */
function send(
  session: ServerSession,
  next: NextFetch,
  request: ReplayableRequest,
  tokens: TokensRecord | undefined,
): Promise<Response> {
  if (!tokens) return next(request.url, withAuthorization(request, undefined));
  const { ctx } = session;
  if (tokens.dpopJkt) {
    // RFC 9449 §7.1: a DPoP-bound token (stored by a client with DPoP) never goes as Bearer
    if (!ctx.dpop) return refuseDpopBound(session);
    // DPoP proofs are sent through `next` too (it is only called with URLs)
    const via: FlowContext =
      next === ctx.fetch ? armed(session) : { ...armed(session), fetch: next as FetchLike };
    return ctx.dpop.send(via, request, tokens);
  }
  return next(request.url, withAuthorization(request, bearerHeader(session, tokens)));
}

/** The error for DPoP-bound tokens in a client without the `dpop` option (loaded when met). */
async function refuseDpopBound(session: ServerSession): Promise<never> {
  const { dpopBoundWithoutOption } = await import('../discovery/dpop-option-missing.ts');
  throw dpopBoundWithoutOption(session.resourceKey);
}

/**
 * The header value of the session's tokens, built once per token: a fresh concatenation per
 * request would be flattened again each time the header is written. The record's access token
 * is then read back from the header (`slice`, which engines such as V8 keep as a view of it),
 * so that a session holds one copy of the token, not two (issue 18: a gateway keeps thousands).
 */
function bearerHeader(session: ServerSession, tokens: TokensRecord): string {
  if (session.bearer?.tokens === tokens) return session.bearer.header;
  const header = `Bearer ${tokens.accessToken}`;
  tokens.accessToken = header.slice(7);
  session.bearer = { tokens, header };
  return header;
}

/** One request of `authorizationMiddleware(session)(next)`. */
export async function authorizedFetch(
  session: ServerSession,
  next: NextFetch,
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<Response> {
  const url = input instanceof Request ? input.url : String(input);
  if (!covers(session, url)) {
    if (!(input instanceof Request)) return next(input, init);
    const other = await toReplayable(input, init);
    return next(other.url, other.init);
  }
  const { ctx, options } = session;
  const maxStepUps = options.maxStepUps ?? 2;
  const request = await toReplayable(input, init);
  // the caller's abort ends its waits for tokens at once (unlessAborted); none starts after it
  const { signal } = request.init;
  signal?.throwIfAborted();
  let tokens =
    freshInMemory(session) ??
    (await unlessAborted(signal, () => usableTokensOrReauthorize(session)));
  let response = await send(session, next, request, tokens);

  if (response.status === 401 && (options.replayOnUnauthorized ?? true)) {
    const { bearerChallenge } = await import('../discovery/www-authenticate.ts');
    const challenge = bearerChallenge(response) ?? {};
    ctx.dpop?.observe(request.url, response); // a DPoP challenge: the resource takes DPoP
    await response.body?.cancel().catch(() => {});
    tokens = await unlessAborted(signal, () => recoverFromUnauthorized(session, tokens, challenge));
    response = await send(session, next, request, tokens);
    // a DPoP challenge to a fresh Bearer token: the error path, loaded when met
    if (
      response.status === 401 &&
      tokens &&
      !tokens.dpopJkt &&
      /dpop/i.test(response.headers.get('www-authenticate') ?? '')
    ) {
      const { dpopOnlyError } = await import('./dpop-only-error.ts');
      const refused = dpopOnlyError(ctx, response, request.url);
      if (refused) {
        await response.body?.cancel().catch(() => {});
        throw refused;
      }
    }
  }

  if (response.status === 403) {
    const [{ bearerChallenge }, { splitScope, unionScopes }] = await Promise.all([
      import('../discovery/www-authenticate.ts'),
      import('../authorization/scopes.ts'),
    ]);
    for (let stepUps = 0; response.status === 403 && stepUps < maxStepUps; stepUps++) {
      const challenge = bearerChallenge(response);
      if (challenge?.error !== 'insufficient_scope' || !tokens) break;
      const scope = unionScopes(tokens.scope, challenge.scope);
      // nothing new to ask for, or asked for in vain before
      if (
        challenge.scope &&
        (scopeCovers(splitScope, tokens.scope, challenge.scope) ||
          session.refusedScopes?.has(challenge.scope))
      )
        break;
      await response.body?.cancel().catch(() => {});
      ctx.emit({
        type: 'step_up',
        issuer: tokens.issuer,
        resource: tokens.resource,
        scope,
        attempt: stepUps + 1,
      });
      tokens = await unlessAborted(signal, () =>
        authorize(session, {
          // authoritative for this request: asked for with the `scopes` option, never replaced by it
          challengeScope: scope,
          ...(challenge.resource_metadata
            ? { resourceMetadataUrl: challenge.resource_metadata }
            : {}),
        }),
      );
      response = await send(session, next, request, tokens);
    }
    const last = response.status === 403 ? bearerChallenge(response) : undefined;
    if (
      last?.error === 'insufficient_scope' &&
      tokens &&
      last.scope &&
      !scopeCovers(splitScope, tokens.scope, last.scope) &&
      maxStepUps > 0
    ) {
      await response.body?.cancel().catch(() => {});
      // Scopes whose step-up already failed (MCP: repeated failure is permanent): later
      // requests that need them fail at once instead of sending the user to consent again.
      session.refusedScopes ??= new Set();
      session.refusedScopes.add(last.scope);
      throw new McpOAuthError(
        'step_up_limit_reached',
        `The server still asks for "${last.scope}" after ${maxStepUps} step-ups: the authorization server does not grant it.`,
        { status: 403, oauthError: 'insufficient_scope', details: { scope: last.scope } },
      );
    }
  }
  if (
    (request.init.method ?? 'GET').toUpperCase() === 'GET' &&
    response.headers.get('content-type')?.startsWith('text/event-stream')
  ) {
    // a stream: the legacy transport's first event may announce where messages go; those
    // URLs, on the resource's origin, belong to the same resource even outside its path
    const { watchEndpointEvent } = await import('./legacy-sse-endpoint.ts');
    return watchEndpointEvent(response, request.url, (endpoint) => {
      session.announced ??= new Set();
      session.announced.add(endpoint);
    });
  }
  return response;
}

/** After a 401: new tokens from a refresh, from another process, or from a new authorization. */
async function recoverFromUnauthorized(
  session: ServerSession,
  sent: TokensRecord | undefined,
  challenge: Record<string, string>,
): Promise<TokensRecord> {
  const { splitScope, unionScopes } = await import('../authorization/scopes.ts');
  const cached = await cachedDiscovery(session);
  const moved =
    (challenge.resource_metadata !== undefined &&
      cached !== undefined &&
      // the same URL written differently is no move (its stored form is normalized)
      !sameMetadataUrl(
        challenge.resource_metadata,
        cached.resourceMetadataUrl,
        session.options.serverUrl,
      )) ||
    // a rejected token: the resource may now trust another authorization server
    (sent !== undefined && (await authorizationServerMoved(session, challenge.resource_metadata)));
  // a 401 that says the scope is short (insufficient_scope, as a 403 would) for scopes the token
  // does not hold: a refresh cannot widen the grant, so it goes to authorization, a step-up. Any
  // other 401 (an expired or revoked token; servers name their scopes in every challenge) is
  // answered by a refresh first, whatever scopes it names.
  const wider =
    sent !== undefined &&
    challenge.error === 'insufficient_scope' &&
    challenge.scope !== undefined &&
    !scopeCovers(splitScope, sent.scope, challenge.scope);
  if (wider)
    session.ctx.emit({
      type: 'step_up',
      issuer: sent.issuer,
      resource: sent.resource,
      scope: unionScopes(sent.scope, challenge.scope),
      attempt: 1,
    });
  if (sent && !moved && !wider) {
    if (sent.refreshToken) {
      try {
        return await refresh(session, sent);
      } catch (error) {
        if (!McpOAuthError.is(error, 'reauthorization_required')) throw error;
      }
    }
  }
  forget(session);
  return authorize(session, {
    ...(challenge.resource_metadata ? { resourceMetadataUrl: challenge.resource_metadata } : {}),
    // keep what was granted: ask for the challenged scopes together with those held (MCP scope selection)
    ...(challenge.scope ? { challengeScope: unionScopes(sent?.scope, challenge.scope) } : {}),
    ...(moved ? { rediscover: true } : {}),
  });
}

function scopeCovers(
  splitScope: (scope: string | undefined) => string[],
  have: string | undefined,
  need: string,
): boolean {
  const held = splitScope(have);
  return splitScope(need).every((s) => held.includes(s));
}
