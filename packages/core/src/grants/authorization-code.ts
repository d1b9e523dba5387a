import {
  authorizationCodeGrantRequest,
  processAuthorizationCodeResponse,
  validateAuthResponse,
} from 'oauth4webapi';
import type { PendingAuthorization } from '../authorization/pending.ts';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { ProtectedResourceMetadata } from '../discovery/protected-resource.ts';
import { McpOAuthError } from '../errors/error.ts';
import {
  CALLBACK,
  fromOAuth4WebApi,
  issuerMismatch,
  TOKEN_REQUEST,
} from '../errors/from-oauth4webapi.ts';
import type { FlowContext } from '../flow/context.ts';
import { clientAuthentication } from '../registration/client-auth.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import { AUTHORIZATION_CODE_REPEATS_AMBIGUOUS, markRetryable } from '../retry/policy.ts';
import type { ClientRecord, TokensRecord } from '../store/records.ts';
import { requireEndpoint } from '../util/endpoint.ts';
import { asAuthorizationServer, requestOptions } from '../util/oauth4webapi.ts';
import { processTokenResponse, tokensFromResponse } from './token-record.ts';
import { boundTo, withDpop } from './with-dpop.ts';

/**
 * Completes a redirect: checks the callback belongs to the pending request
 * (redirect URI, `state`, RFC 9207 `iss`), then exchanges the code with the PKCE
 * verifier and the `resource` indicator. With `openid` in the scope, the ID token is
 * validated (its `nonce` is the pending one) and its claims are kept.
 */
export async function exchangeAuthorizationCode(
  ctx: FlowContext,
  args: {
    pending: PendingAuthorization;
    callbackUrl: string;
    as: AuthorizationServerMetadata;
    resourceMetadata: ProtectedResourceMetadata;
    client: ClientRecord;
    config: ClientConfig;
  },
): Promise<TokensRecord> {
  const { pending, as } = args;
  let callback: URL;
  try {
    callback = new URL(args.callbackUrl);
  } catch (cause) {
    throw new McpOAuthError('interaction_failed', 'The callback URL is not a valid URL.', {
      cause,
    });
  }
  const expected = new URL(pending.redirectUri);
  if (callback.origin !== expected.origin || callback.pathname !== expected.pathname) {
    throw new McpOAuthError(
      'interaction_failed',
      'The callback URL does not match the redirect URI of the pending authorization.',
    );
  }
  if (as.issuer !== pending.issuer || args.client.clientId !== pending.clientId) {
    throw new McpOAuthError(
      'issuer_mismatch',
      'The pending authorization is for another server or client: start a new one.',
    );
  }
  const { client, auth } = await clientAuthentication(args.client, args.config);
  const server = asAuthorizationServer(as);
  // MCP (RFC 9207 table): an `iss` that is present is compared with the recorded issuer, an
  // empty one too, whatever the server advertises (oauth4webapi reads `iss=` as absent)
  for (const iss of callback.searchParams.getAll('iss'))
    if (iss !== pending.issuer) throw issuerMismatch(new Error('"iss" is not the recorded issuer'));
  let params: URLSearchParams;
  try {
    params = validateAuthResponse(server, client, callback, pending.state);
  } catch (error) {
    const refusal = fromOAuth4WebApi(error, CALLBACK);
    // no scope was asked for (none was named): a bare refusal may be of that
    if (pending.scope || !refusal.oauthError) throw refusal;
    throw (await import('../errors/refused-without-scope.ts')).withoutScopeSaid(refusal, undefined);
  }
  requireEndpoint(ctx, as, 'token_endpoint');
  try {
    const { result, jkt } = await withDpop(ctx, args, client, async (dpop) => {
      const response = await authorizationCodeGrantRequest(
        server,
        client,
        auth,
        params,
        pending.redirectUri,
        pending.codeVerifier,
        {
          ...requestOptions(
            ctx,
            ctx.quirks.omitResourceParameter ? undefined : { resource: pending.resource },
          ),
          ...dpop,
        },
      );
      return processTokenResponse(
        ctx,
        as,
        pending.scope,
        (options) => processAuthorizationCodeResponse(server, client, response, options),
        pending.nonce,
      );
    });
    return boundTo(
      // the pending authorization's issuer and client are the ones checked above
      tokensFromResponse(result.tokens, ctx.now(), {
        ...pending,
        idTokenClaims: result.idTokenClaims,
      }),
      jkt,
    );
  } catch (error) {
    throw markRetryable(
      fromOAuth4WebApi(error, TOKEN_REQUEST),
      AUTHORIZATION_CODE_REPEATS_AMBIGUOUS,
    );
  }
}
