import { calculatePKCECodeChallenge } from 'oauth4webapi';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { FlowContext } from '../flow/context.ts';
import type { ClientRecord } from '../store/records.ts';
import { requireEndpoint } from '../util/endpoint.ts';
import type { PendingAuthorization } from './pending.ts';
import { requestsOpenId } from './requests-openid.ts';

/**
 * Builds the authorization request (PKCE S256, state, resource, scope, and with `openid` an
 * OpenID Connect `nonce`) and its pending record. The redirect URI is the client's, checked
 * when the client was resolved (`assertRedirectUri`, before any registration).
 */
export async function buildAuthorizationRequest(
  ctx: FlowContext,
  args: {
    serverUrl: string;
    resource: string;
    as: AuthorizationServerMetadata;
    client: ClientRecord;
    redirectUri: string;
    scope: string | undefined;
    /** `prompt`, `login_hint`, ...: added after being checked against the library's own. */
    extraParams?: Record<string, string>;
  },
): Promise<PendingAuthorization> {
  // checked here too, for applications that drive the transitions themselves; loaded only when given
  if (args.extraParams)
    (await import('./authorization-params.ts')).checkAuthorizationParams(args.extraParams);
  const url = new URL(requireEndpoint(ctx, args.as, 'authorization_endpoint'));
  const codeVerifier = ctx.randomString();
  const state = ctx.randomString();
  const params = url.searchParams;
  for (const [name, value] of Object.entries(args.extraParams ?? {})) params.set(name, value);
  params.set('response_type', 'code');
  params.set('client_id', args.client.clientId);
  params.set('redirect_uri', args.redirectUri);
  params.set('code_challenge', await calculatePKCECodeChallenge(codeVerifier));
  params.set('code_challenge_method', 'S256');
  params.set('state', state);
  if (!ctx.quirks.omitResourceParameter) params.set('resource', args.resource);
  if (args.scope) params.set('scope', args.scope);
  const nonce = requestsOpenId(args.scope) ? ctx.randomString() : undefined;
  if (nonce) params.set('nonce', nonce);
  return {
    v: 1,
    kind: 'pending_authorization',
    serverUrl: args.serverUrl,
    resource: args.resource,
    issuer: args.as.issuer,
    clientId: args.client.clientId,
    redirectUri: args.redirectUri,
    state,
    codeVerifier,
    ...(args.scope ? { scope: args.scope } : {}),
    ...(nonce ? { nonce } : {}),
    authorizationUrl: url.href,
    createdAt: ctx.now(),
  };
}
