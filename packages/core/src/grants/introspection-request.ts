import { introspectionRequest, processIntrospectionResponse } from 'oauth4webapi';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import { McpOAuthError } from '../errors/error.ts';
import { fromOAuth4WebApi, INTROSPECTION } from '../errors/from-oauth4webapi.ts';
import type { FlowContext } from '../flow/context.ts';
import { clientAuthentication } from '../registration/client-auth.ts';
import type { ClientConfig } from '../registration/client-config.ts';
import { INTROSPECTION_REPEATS_AMBIGUOUS, markRetryable } from '../retry/policy.ts';
import type { ClientRecord } from '../store/records.ts';
import { requireEndpoint } from '../util/endpoint.ts';
import { asAuthorizationServer, requestOptions } from '../util/oauth4webapi.ts';

export interface IntrospectionResult {
  active: boolean;
  scope?: string;
  clientId?: string;
  expiresAt?: number;
  subject?: string;
  tokenType?: string;
}

/** RFC 7662 introspection. The result carries no token. */
export async function introspectToken(
  ctx: FlowContext,
  args: {
    as: AuthorizationServerMetadata;
    client: ClientRecord;
    config: ClientConfig;
    token: string;
    hint?: 'access_token' | 'refresh_token';
  },
): Promise<IntrospectionResult> {
  requireEndpoint(
    ctx,
    args.as,
    'introspection_endpoint',
    () =>
      new McpOAuthError(
        'introspection_failed',
        `The authorization server ${args.as.issuer} has no introspection endpoint.`,
      ),
  );
  const { client, auth } = await clientAuthentication(args.client, args.config);
  const server = asAuthorizationServer(args.as);
  try {
    const response = await introspectionRequest(
      server,
      client,
      auth,
      args.token,
      requestOptions(ctx, args.hint ? { token_type_hint: args.hint } : undefined),
    );
    const r = await processIntrospectionResponse(server, client, response);
    return {
      active: r.active === true,
      ...(typeof r.scope === 'string' ? { scope: r.scope } : {}),
      ...(typeof r.client_id === 'string' ? { clientId: r.client_id } : {}),
      ...(typeof r.exp === 'number' ? { expiresAt: r.exp * 1000 } : {}),
      ...(typeof r.sub === 'string' ? { subject: r.sub } : {}),
      ...(typeof r.token_type === 'string' ? { tokenType: r.token_type } : {}),
    };
  } catch (error) {
    throw markRetryable(fromOAuth4WebApi(error, INTROSPECTION), INTROSPECTION_REPEATS_AMBIGUOUS);
  }
}
