import { splitScope, unionScopes } from '../authorization/scopes.ts';
import { resourceMatcher } from '../discovery/canonical-resource.ts';
import { dpopOptionMissing } from '../discovery/dpop-option-missing.ts';
import { bearerChallenge, parseWwwAuthenticate } from '../discovery/www-authenticate.ts';
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
import { forget, type ServerSession } from '../session/session.ts';
import type { TokensRecord } from '../store/records.ts';
import { type ReplayableRequest, toReplayable, withAuthorization } from './replayable-request.ts';

export interface AuthorizedFetchOptions {
  /** How many step-up authorizations one request may trigger. Default 2. */
  maxStepUps?: number;
  /** On 401, refresh or re-authorize and replay the request once. Default true. */
  replayOnUnauthorized?: boolean;
}

/**
 * The middleware that authorizes requests to one MCP server, in front of the `next` fetch of a
 * chain (the client's own `fetch` is this middleware over the `fetch` option). It sends the
 * token only to the resource it was issued for; on 401 it refreshes or authorizes (once) and
 * replays the request; on 403 insufficient_scope it asks for the union of scopes and replays.
 * Other requests go to `next` untouched.
 */
export function authorizationMiddleware(
  ctx: FlowContext,
  session: ServerSession,
  options: AuthorizedFetchOptions,
): FetchMiddleware {
  const maxStepUps = options.maxStepUps ?? 2;
  const replayOnUnauthorized = options.replayOnUnauthorized ?? true;
  const isForResource = resourceMatcher(session.resourceKey);
  // Scopes whose step-up already failed (MCP: repeated failure is permanent): later
  // requests that need them fail at once instead of sending the user to consent again.
  const refused = new Set<string>();
  // Message URLs a legacy HTTP+SSE server announced (`event: endpoint`) on a stream the token
  // opened, on the resource's origin: they belong to the same resource even outside its path.
  const announced = new Set<string>();
  const covers = (url: string) =>
    isForResource(url) || (announced.size > 0 && announced.has(url.split('?')[0] ?? url));
  return (next) => {
    // DPoP proofs are sent through `next` too (it is only called with URLs)
    const via: FlowContext = next === ctx.fetch ? ctx : { ...ctx, fetch: next as FetchLike };
    // The header value of the last token sent, built once: a fresh concatenation per request
    // would be flattened again each time the header is written.
    let bearer = { token: '', header: '' };
    const send = (request: ReplayableRequest, tokens: TokensRecord | undefined) => {
      if (!tokens) return next(request.url, withAuthorization(request, undefined));
      if (tokens.dpopJkt && ctx.dpop) return ctx.dpop.send(via, request, tokens);
      if (bearer.token !== tokens.accessToken)
        bearer = { token: tokens.accessToken, header: `Bearer ${tokens.accessToken}` };
      return next(request.url, withAuthorization(request, bearer.header));
    };
    return async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!covers(url)) {
        if (!(input instanceof Request)) return next(input, init);
        const other = await toReplayable(input, init);
        return next(other.url, other.init);
      }
      const request = await toReplayable(input, init);
      let tokens = freshInMemory(session) ?? (await usableTokensOrReauthorize(session));
      let response = await send(request, tokens);

      if (response.status === 401 && replayOnUnauthorized) {
        const challenge = bearerChallenge(response) ?? {};
        ctx.dpop?.observe(request.url, response); // a DPoP challenge: the resource takes DPoP
        await response.body?.cancel().catch(() => {});
        tokens = await recoverFromUnauthorized(session, tokens, challenge);
        response = await send(request, tokens);
        // a fresh Bearer token refused with a DPoP-only challenge: the resource takes only DPoP
        if (response.status === 401 && tokens && !tokens.dpopJkt) {
          const schemes = parseWwwAuthenticate(response.headers.get('www-authenticate')).map(
            (c) => c.scheme,
          );
          if (schemes.includes('dpop') && !schemes.includes('bearer')) {
            await response.body?.cancel().catch(() => {});
            throw ctx.dpop
              ? ctx.dpop.refusedBearer(request.url)
              : dpopOptionMissing(new URL(request.url).origin, 401);
          }
        }
      }

      for (let stepUps = 0; response.status === 403 && stepUps < maxStepUps; stepUps++) {
        const challenge = bearerChallenge(response);
        if (challenge?.error !== 'insufficient_scope' || !tokens) break;
        const scope = unionScopes(tokens.scope, challenge.scope);
        // nothing new to ask for, or asked for in vain before
        if (
          challenge.scope &&
          (scopeCovers(tokens.scope, challenge.scope) || refused.has(challenge.scope))
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
        tokens = await authorize(session, {
          scopes: scope.split(' '),
          ...(challenge.resource_metadata
            ? { resourceMetadataUrl: challenge.resource_metadata }
            : {}),
        });
        response = await send(request, tokens);
      }
      const last = response.status === 403 ? bearerChallenge(response) : undefined;
      if (
        last?.error === 'insufficient_scope' &&
        tokens &&
        last.scope &&
        !scopeCovers(tokens.scope, last.scope) &&
        maxStepUps > 0
      ) {
        await response.body?.cancel().catch(() => {});
        refused.add(last.scope);
        throw new McpOAuthError(
          'step_up_limit_reached',
          `The server still asks for "${last.scope}" after ${maxStepUps} step-ups: the authorization server does not grant it.`,
          { status: 403, oauthError: 'insufficient_scope', details: { scope: last.scope } },
        );
      }
      if (
        (request.init.method ?? 'GET').toUpperCase() === 'GET' &&
        response.headers.get('content-type')?.startsWith('text/event-stream')
      ) {
        // a stream: the legacy transport's first event may announce where messages go
        const { watchEndpointEvent } = await import('./legacy-sse-endpoint.ts');
        return watchEndpointEvent(response, request.url, (endpoint) => announced.add(endpoint));
      }
      return response;
    };
  };
}

/** After a 401: new tokens from a refresh, from another process, or from a new authorization. */
async function recoverFromUnauthorized(
  session: ServerSession,
  sent: TokensRecord | undefined,
  challenge: Record<string, string>,
): Promise<TokensRecord> {
  const cached = await cachedDiscovery(session);
  const moved =
    (challenge.resource_metadata !== undefined &&
      cached !== undefined &&
      challenge.resource_metadata !== cached.resourceMetadataUrl) ||
    // a rejected token: the resource may now trust another authorization server
    (sent !== undefined && (await authorizationServerMoved(session, challenge.resource_metadata)));
  if (sent && !moved) {
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

function scopeCovers(have: string | undefined, need: string): boolean {
  const held = splitScope(have);
  return splitScope(need).every((s) => held.includes(s));
}
