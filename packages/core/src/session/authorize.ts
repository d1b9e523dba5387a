import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import type { DiscoveryRecord, TokensRecord } from '../store/records.ts';
import { cachedDiscovery } from './load-tokens.ts';
import { usableTokens } from './refresh.ts';
import { type ServerSession, whileArmed } from './session.ts';

// The flow (discovery, registration, grants, oauth4webapi) is loaded when an authorization
// runs: a client whose stored tokens are usable never loads it.

/** Copied into the start state as they are (after `scopes`): callers set only what they have. */
export interface AuthorizeArgs {
  /** The scopes asked for (default: the `scopes` option). */
  scopes?: string[];
  /** Merged over the client's `authorizationParams`. */
  authorizationParams?: Record<string, string | undefined>;
  resourceMetadataUrl?: string;
  /**
   * The scope of the challenge (401 or 403) an operation was answered with, with the scopes
   * held: authoritative for that operation (MCP scope selection), so it is asked for together
   * with `scopes`, never replaced by them.
   */
  challengeScope?: string;
  rediscover?: true;
}

/** Runs the authorization flow once at a time; concurrent callers share it. */
export function authorize(session: ServerSession, args: AuthorizeArgs = {}): Promise<TokensRecord> {
  session.authorizing ??= authorizeNow(session, args).finally(() => {
    session.authorizing = undefined;
  });
  return session.authorizing;
}

/** A registration the server forgot is dropped by the flow: the flow runs once more, registering anew. */
async function authorizeNow(session: ServerSession, args: AuthorizeArgs): Promise<TokensRecord> {
  try {
    return await authorizeOnce(session, args);
  } catch (error) {
    if (!McpOAuthError.isInstance(error) || error.details.registrationDropped !== true) throw error;
    return authorizeOnce(session, args);
  }
}

function authorizeOnce(session: ServerSession, args: AuthorizeArgs): Promise<TokensRecord> {
  return whileArmed(session, (ctx) => runAuthorization(session, ctx, args));
}

async function runAuthorization(
  session: ServerSession,
  ctx: FlowContext,
  { scopes = session.options.scopes, authorizationParams, ...rest }: AuthorizeArgs,
): Promise<TokensRecord> {
  const { options } = session;
  const params = await authorizationParamsOf(options.authorizationParams, authorizationParams);
  const [{ runFlow }, { persistAuthorized }] = await Promise.all([
    import('../flow/run.ts'),
    import('./persist-authorized.ts'),
  ]);
  // not prompted by a 401: the server's challenge first, as a first MCP request would get it
  const probed =
    scopes || rest.challengeScope || rest.resourceMetadataUrl
      ? {}
      : await (await import('../discovery/probe-challenge.ts')).probeChallenge(
          ctx,
          options.serverUrl,
        );
  const done = await runFlow(
    ctx,
    {
      step: 'start',
      serverUrl: options.serverUrl,
      ...(scopes ? { requestedScopes: scopes } : {}),
      ...(params ? { authorizationParams: params } : {}),
      ...probed, // challengeScope, resourceMetadataUrl: set only when the server gave them
      ...rest, // resourceMetadataUrl, challengeScope, rediscover: set only when given
    },
    options.config,
    options.interaction,
    options,
  );
  return persistAuthorized(session, done);
}

/** The client's and the call's extra authorization parameters, checked (loaded only when there are some). */
export async function authorizationParamsOf(
  fromClient: Record<string, string | undefined> | undefined,
  fromCall: Record<string, string | undefined> | undefined,
): Promise<Record<string, string> | undefined> {
  if (!fromClient && !fromCall) return undefined;
  const { mergedAuthorizationParams } = await import('../authorization/authorization-params.ts');
  return mergedAuthorizationParams(fromClient, fromCall);
}

/** Usable tokens, or a new authorization when the refresh token was rejected; undefined when there are none. */
export async function usableTokensOrReauthorize(
  session: ServerSession,
): Promise<TokensRecord | undefined> {
  try {
    return await usableTokens(session);
  } catch (error) {
    if (!McpOAuthError.is(error, 'reauthorization_required')) throw error;
    return authorize(session).catch(async (failure: unknown) => {
      const { reauthorizationFailure } = await import('../client/reauthorization-failure.ts');
      throw reauthorizationFailure(failure, error);
    });
  }
}

/**
 * After a 401 on a token that was sent: does the resource's metadata (fetched
 * again, one GET) still list the issuer the tokens came from? When it does
 * not, the server moved to another authorization server (MCP: credentials are
 * bound to their issuer), and the caller re-discovers and re-registers.
 * Unknown (no cached record, legacy discovery, a failed fetch) reads as "not moved".
 */
export async function authorizationServerMoved(
  session: ServerSession,
  resourceMetadataUrl?: string,
): Promise<boolean> {
  const cached = await cachedDiscovery(session);
  if (!cached || cached.legacy) return false;
  return whileArmed(session, (ctx) =>
    resourceMetadataMoved(session, ctx, cached, resourceMetadataUrl),
  );
}

async function resourceMetadataMoved(
  session: ServerSession,
  ctx: FlowContext,
  cached: DiscoveryRecord,
  resourceMetadataUrl: string | undefined,
): Promise<boolean> {
  try {
    const { fetchProtectedResourceMetadata } = await import('../discovery/protected-resource.ts');
    const prm = await fetchProtectedResourceMetadata(ctx.oauthFetch, session.options.serverUrl, {
      maxBytes: ctx.maxResponseBytes,
      resourceMetadataUrl: resourceMetadataUrl ?? cached.resourceMetadataUrl,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    return !prm.metadata.authorization_servers.includes(cached.issuer);
  } catch {
    return false;
  }
}
