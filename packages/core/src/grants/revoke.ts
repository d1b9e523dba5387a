import { processRevocationResponse, revocationRequest } from 'oauth4webapi';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import { McpOAuthError } from '../errors/error.ts';
import { fromOAuth4WebApi, REVOCATION } from '../errors/from-oauth4webapi.ts';
import type { FlowContext } from '../flow/context.ts';
import { clientAuthentication } from '../registration/client-auth.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import { markRetryable, REVOCATION_REPEATS_AMBIGUOUS } from '../retry/policy.ts';
import type { ClientRecord } from '../store/records.ts';
import { requireEndpoint } from '../util/endpoint.ts';
import { asAuthorizationServer, requestOptions } from '../util/oauth4webapi.ts';

/** RFC 7009 revocation of one token. */
export async function revokeToken(
  ctx: FlowContext,
  args: {
    as: AuthorizationServerMetadata;
    client: ClientRecord;
    config: ClientConfig;
    token: string;
    /** `token_type_hint` (RFC 7009 §2.1), when known. */
    hint?: 'access_token' | 'refresh_token';
  },
): Promise<void> {
  requireEndpoint(
    ctx,
    args.as,
    'revocation_endpoint',
    () =>
      new McpOAuthError(
        'revocation_failed',
        `${args.as.issuer} has no revocation endpoint; the token stays valid until it expires.`,
      ),
  );
  const { client, auth } = await clientAuthentication(args.client, args.config);
  const server = asAuthorizationServer(args.as);
  try {
    const response = await revocationRequest(
      server,
      client,
      auth,
      args.token,
      requestOptions(ctx, args.hint ? { token_type_hint: args.hint } : {}),
    );
    await processRevocationResponse(response);
  } catch (error) {
    throw markRetryable(fromOAuth4WebApi(error, REVOCATION), REVOCATION_REPEATS_AMBIGUOUS);
  }
}
