import { processRefreshTokenResponse, refreshTokenGrantRequest } from 'oauth4webapi';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { ProtectedResourceMetadata } from '../discovery/protected-resource.ts';
import { McpOAuthError } from '../errors/error.ts';
import { fromOAuth4WebApi, REFRESH_REQUEST } from '../errors/from-oauth4webapi.ts';
import type { FlowContext } from '../flow/context.ts';
import { clientAuthentication } from '../registration/client-auth.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import { markRetryable, REFRESH_REPEATS_AMBIGUOUS } from '../retry/policy.ts';
import type { ClientRecord, TokensRecord } from '../store/records.ts';
import { requireEndpoint } from '../util/endpoint.ts';
import { asAuthorizationServer, requestOptions } from '../util/oauth4webapi.ts';
import { tokensFromResponse } from './token-record.ts';
import { boundTo, withDpop } from './with-dpop.ts';

/** One refresh_token grant request (RFC 6749 §6) with the resource indicator. No retries here. */
export async function refreshGrant(
  ctx: FlowContext,
  args: {
    as: AuthorizationServerMetadata;
    client: ClientRecord;
    config: ClientConfig;
    tokens: TokensRecord;
    resourceMetadata: ProtectedResourceMetadata;
  },
): Promise<TokensRecord> {
  const { tokens } = args;
  if (!tokens.refreshToken) {
    throw new McpOAuthError(
      'reauthorization_required',
      'The access token expired and there is no refresh token: authorize again.',
    );
  }
  requireEndpoint(ctx, args.as, 'token_endpoint');
  const { client, auth } = await clientAuthentication(args.client, args.config);
  const server = asAuthorizationServer(args.as);
  try {
    const refreshToken = tokens.refreshToken;
    const { result, jkt } = await withDpop(
      ctx,
      { as: args.as, resourceMetadata: args.resourceMetadata, boundJkt: tokens.dpopJkt },
      client,
      async (dpop) => {
        const response = await refreshTokenGrantRequest(server, client, auth, refreshToken, {
          ...requestOptions(
            ctx,
            ctx.quirks.omitResourceParameter ? undefined : { resource: tokens.resource },
          ),
          ...dpop,
        });
        return processRefreshTokenResponse(server, client, response);
      },
    );
    return boundTo(tokensFromResponse(result, ctx.now(), tokens, tokens), jkt);
  } catch (error) {
    throw markRetryable(fromOAuth4WebApi(error, REFRESH_REQUEST), REFRESH_REPEATS_AMBIGUOUS);
  }
}
