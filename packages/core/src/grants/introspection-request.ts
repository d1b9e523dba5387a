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

/**
 * An introspection response (RFC 7662 §2.2), without the token.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { type IntrospectionResult, introspect } from '@mcp-oauth/core/management';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp' });
 * const result: IntrospectionResult = await introspect(oauth, 'refresh_token');
 * console.log(result.active, result.scope, result.expiresAt && new Date(result.expiresAt));
 * ```
 */
export interface IntrospectionResult {
  /** Whether the token is currently active at the server. */
  active: boolean;
  /** `scope`: the token's scopes, space-separated. */
  scope?: string;
  /** `client_id`: the client the token was issued to. */
  clientId?: string;
  /** `exp`, as epoch ms. */
  expiresAt?: number;
  /** `sub`: the resource owner. */
  subject?: string;
  /** `token_type` (`Bearer`, `DPoP`). */
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
