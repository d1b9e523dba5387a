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

/** RFC 7523 §2.1: the grant type of a JWT used as an authorization grant. */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const JWT_BEARER_REQUEST: OAuthOperation = [
  'token_request_failed',
  'The JWT bearer grant request',
  'grant',
];

/**
 * One RFC 7523 JWT bearer grant request (§2.1) at the MCP server's authorization server:
 * `assertion` is the JWT (an ID-JAG for enterprise-managed authorization, the platform's
 * token for a workload), sent with the scope and the resource indicator (RFC 8707, as MCP
 * requires of every token request), the client authenticated as registered, and DPoP when
 * both servers take it. Never retried here: an assertion may be single-use (its `jti`).
 */
export async function jwtBearerGrant(
  ctx: FlowContext,
  args: GrantArgs,
  assertion: string,
): Promise<TokensRecord> {
  requireEndpoint(ctx, args.as, 'token_endpoint');
  const { client, auth } = await clientAuthentication(args.client, args.config);
  const server = asAuthorizationServer(args.as);
  const parameters = new URLSearchParams({ assertion });
  if (args.scope) parameters.set('scope', args.scope);
  if (!ctx.quirks.omitResourceParameter) parameters.set('resource', args.resource);
  try {
    const { result, jkt } = await withDpop(ctx, args, client, async (dpop) => {
      const response = await genericTokenEndpointRequest(
        server,
        client,
        auth,
        JWT_BEARER_GRANT_TYPE,
        parameters,
        { ...requestOptions(ctx), ...dpop },
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
    throw markRetryable(
      fromOAuth4WebApi(error, JWT_BEARER_REQUEST),
      TOKEN_WITHOUT_PERSON_REPEATS_AMBIGUOUS,
    );
  }
}
