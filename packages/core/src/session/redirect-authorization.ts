import type { PendingAuthorization } from '../authorization/pending.ts';
import { McpOAuthError } from '../errors/error.ts';
import {
  beginTransition,
  completeRedirectTransition,
  discoverTransition,
  registerTransition,
} from '../flow/transitions.ts';
import { clientRejected, rejectsClient } from '../registration/rejects-client.ts';
import { resolveClient } from '../registration/resolve-client.ts';
import type { TokensRecord } from '../store/records.ts';
import { authorizationParamsOf } from './authorize.ts';
import { requireDiscovery } from './load-tokens.ts';
import { persistAuthorized } from './persist-authorized.ts';
import type { ServerSession } from './session.ts';

/**
 * For web apps, the first half of the redirect flow: the same transitions as `authorize`,
 * stopped at `awaiting_redirect`; its pending value is kept by the application (a cookie, a
 * session) until the browser comes back.
 */
export async function beginAuthorization(
  session: ServerSession,
  {
    redirectUri,
    scopes = session.options.scopes,
    authorizationParams,
  }: {
    redirectUri: string;
    scopes?: string[];
    authorizationParams?: Record<string, string | undefined>;
  },
): Promise<{ authorizationUrl: string; pending: PendingAuthorization }> {
  const { ctx, options } = session;
  const params = await authorizationParamsOf(options.authorizationParams, authorizationParams);
  const serverUrl = options.serverUrl;
  const discovered = await discoverTransition(ctx, {
    step: 'start',
    serverUrl,
    grant: 'redirect',
    ...(params ? { authorizationParams: params } : {}),
    ...(scopes
      ? { requestedScopes: scopes }
      : await (await import('../discovery/probe-challenge.ts')).probeChallenge(ctx, serverUrl)),
  });
  const registered = await registerTransition(ctx, discovered, options.config, redirectUri);
  const begun = await beginTransition(ctx, registered, options.config);
  if (begun.step !== 'awaiting_redirect')
    throw new McpOAuthError(
      'invalid_configuration',
      'beginAuthorization is for the redirect flow.',
    );
  return { authorizationUrl: begun.pending.authorizationUrl, pending: begun.pending };
}

/**
 * For web apps, the second half: the callback is checked and the code exchanged; the tokens
 * are persisted and reported as at the end of `authorize`.
 */
export async function completeAuthorization(
  session: ServerSession,
  pending: PendingAuthorization,
  callbackUrl: string,
): Promise<TokensRecord> {
  const { ctx, options } = session;
  const { serverUrl, config } = options;
  if (pending?.kind !== 'pending_authorization' || pending.serverUrl !== serverUrl) {
    throw new McpOAuthError(
      'invalid_configuration',
      'This pending authorization does not belong to this server.',
    );
  }
  const discovery = await requireDiscovery(session);
  const client = await resolveClient(ctx, discovery.authorizationServerMetadata, config, {
    redirectUri: pending.redirectUri,
    grantTypes: ['authorization_code'],
  });
  const done = await completeRedirectTransition(
    ctx,
    { step: 'awaiting_redirect', serverUrl, grant: 'redirect', discovery, client, pending },
    callbackUrl,
    config,
  ).catch(async (error: unknown) => {
    // a registration the server forgot is dropped: the next beginAuthorization registers anew
    throw rejectsClient(error) ? await clientRejected(ctx, client, error) : error;
  });
  return persistAuthorized(session, done);
}
