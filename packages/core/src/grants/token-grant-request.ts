import { genericTokenEndpointRequest, processGenericTokenEndpointResponse } from 'oauth4webapi';
import { fromOAuth4WebApi, type OAuthOperation } from '../errors/from-oauth4webapi.ts';
import type { FlowContext } from '../flow/context.ts';
import { clientAuthentication } from '../registration/client-auth.ts';
import { markRetryable, TOKEN_WITHOUT_PERSON_REPEATS_AMBIGUOUS } from '../retry/policy.ts';
import type { TokensRecord } from '../store/records.ts';
import { requireEndpoint } from '../util/endpoint.ts';
import { asAuthorizationServer, requestOptions } from '../util/oauth4webapi.ts';
import type { GrantArgs } from './grant-args.ts';
import { tokensFromResponse } from './token-record.ts';
import { boundTo, withDpop } from './with-dpop.ts';

/**
 * One token request of a grant without a person (client credentials, RFC 7523 JWT bearer) at
 * the MCP server's authorization server: `parameters` plus the scope and the resource
 * indicator (RFC 8707, as MCP requires of every token request), the client authenticated as
 * registered, DPoP when both servers take it. Its failures are marked retryable by the policy
 * of grants that consume no state (`retry/policy.ts`).
 */
export async function tokenGrantRequest(
  ctx: FlowContext,
  args: GrantArgs,
  grantType: string,
  parameters: URLSearchParams,
  operation: OAuthOperation,
): Promise<TokensRecord> {
  requireEndpoint(ctx, args.as, 'token_endpoint');
  const { client, auth } = await clientAuthentication(args.client, args.config);
  const server = asAuthorizationServer(args.as);
  if (args.scope) parameters.set('scope', args.scope);
  if (!ctx.quirks.omitResourceParameter) parameters.set('resource', args.resource);
  try {
    const { result, jkt } = await withDpop(ctx, args, client, async (dpop) => {
      const response = await genericTokenEndpointRequest(
        server,
        client,
        auth,
        grantType,
        parameters,
        {
          ...requestOptions(ctx),
          ...dpop,
        },
      );
      return processGenericTokenEndpointResponse(server, client, response);
    });
    return boundTo(
      tokensFromResponse(result, ctx.now(), {
        issuer: args.as.issuer,
        resource: args.resource,
        clientId: args.client.clientId,
        scope: args.scope,
      }),
      jkt,
    );
  } catch (error) {
    throw markRetryable(fromOAuth4WebApi(error, operation), TOKEN_WITHOUT_PERSON_REPEATS_AMBIGUOUS);
  }
}
