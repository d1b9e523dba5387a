import type { OAuthOperation } from '../errors/from-oauth4webapi.ts';
import type { FlowContext } from '../flow/context.ts';
import type { TokensRecord } from '../store/records.ts';
import type { GrantArgs } from './grant-args.ts';
import { tokenGrantRequest } from './token-grant-request.ts';

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
export function jwtBearerGrant(
  ctx: FlowContext,
  args: GrantArgs,
  assertion: string,
): Promise<TokensRecord> {
  return tokenGrantRequest(
    ctx,
    args,
    JWT_BEARER_GRANT_TYPE,
    new URLSearchParams({ assertion }),
    JWT_BEARER_REQUEST,
  );
}
