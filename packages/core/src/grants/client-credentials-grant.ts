import { clientCredentialsGrantRequest, processClientCredentialsResponse } from 'oauth4webapi';
import { fromOAuth4WebApi, TOKEN_REQUEST } from '../errors/from-oauth4webapi.ts';
import type { FlowContext } from '../flow/context.ts';
import { clientAuthentication } from '../registration/client-auth.ts';
import { markRetryable, TOKEN_WITHOUT_PERSON_REPEATS_AMBIGUOUS } from '../retry/policy.ts';
import type { TokensRecord } from '../store/records.ts';
import { requireEndpoint } from '../util/endpoint.ts';
import { asAuthorizationServer, requestOptions } from '../util/oauth4webapi.ts';
import type { GrantArgs } from './grant-args.ts';
import { tokensFromResponse } from './token-record.ts';
import { boundTo, withDpop } from './with-dpop.ts';

/** The client_credentials grant (MCP client-credentials extension): a secret or private_key_jwt. */
export async function clientCredentialsGrant(
  ctx: FlowContext,
  args: GrantArgs,
): Promise<TokensRecord> {
  requireEndpoint(ctx, args.as, 'token_endpoint');
  const { client, auth } = await clientAuthentication(args.client, args.config);
  const server = asAuthorizationServer(args.as);
  const parameters = new URLSearchParams();
  if (args.scope) parameters.set('scope', args.scope);
  if (!ctx.quirks.omitResourceParameter) parameters.set('resource', args.resource);
  try {
    const { result, jkt } = await withDpop(ctx, args, client, async (dpop) => {
      const response = await clientCredentialsGrantRequest(server, client, auth, parameters, {
        ...requestOptions(ctx),
        ...dpop,
      });
      return processClientCredentialsResponse(server, client, response);
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
      fromOAuth4WebApi(error, TOKEN_REQUEST),
      TOKEN_WITHOUT_PERSON_REPEATS_AMBIGUOUS,
    );
  }
}
