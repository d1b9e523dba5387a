import type { ProcessAuthorizationCodeResponseOptions, TokenEndpointResponse } from 'oauth4webapi';
import { requestsOpenId } from '../authorization/requests-openid.ts';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import type { IdTokenClaims, TokensRecord } from '../store/records.ts';

/**
 * Processes a token response of a grant with a person (authorization code, device):
 * `processResponse` is oauth4webapi's. When `scope` has `openid`, the ID token is validated too (with `nonce`,
 * the one sent, for the authorization code) and its claims returned; that code is loaded only
 * then, so applications that never ask for `openid` do not bundle it. (It lives beside
 * `tokensFromResponse`, which every grant uses, so that bundlers add no chunk for it.)
 */
export async function processTokenResponse(
  ctx: FlowContext,
  as: AuthorizationServerMetadata,
  scope: string | undefined,
  processResponse: (
    options?: ProcessAuthorizationCodeResponseOptions,
  ) => Promise<TokenEndpointResponse>,
  nonce?: string,
): Promise<{ tokens: TokenEndpointResponse; idTokenClaims?: IdTokenClaims }> {
  if (!requestsOpenId(scope)) return { tokens: await processResponse() };
  const { validateIdToken } = await import('./validate-id-token.ts');
  return validateIdToken(ctx, as, processResponse, nonce);
}

/**
 * Builds the stored record from a token endpoint response obtained at `now` for `from`'s
 * issuer, resource and client, `from.scope` being the scope asked for; `previous`, on a
 * refresh, is the record refreshed. `from.idTokenClaims` are those of a validated ID token; a
 * refresh keeps the previous ones (the person is the same).
 */
export function tokensFromResponse(
  response: TokenEndpointResponse,
  now: number,
  from: {
    issuer: string;
    resource: string;
    clientId: string;
    scope?: string | undefined;
    idTokenClaims?: IdTokenClaims | undefined;
  },
  previous?: TokensRecord,
): TokensRecord {
  if (typeof response.access_token !== 'string' || !response.access_token) {
    throw new McpOAuthError('invalid_response', 'The token response has no access_token.');
  }
  const record: TokensRecord = {
    v: 1,
    kind: 'tokens',
    issuer: from.issuer,
    resource: from.resource,
    clientId: from.clientId,
    accessToken: response.access_token,
    tokenType: (response.token_type ?? 'bearer').toLowerCase(),
    obtainedAt: now,
  };
  if (typeof response.expires_in === 'number' && response.expires_in > 0)
    record.expiresAt = now + response.expires_in * 1000;
  // A refresh response without a new refresh token keeps the previous one (RFC 6749 §6).
  const refreshToken = response.refresh_token ?? previous?.refreshToken;
  if (refreshToken) record.refreshToken = refreshToken;
  const scope = response.scope ?? previous?.scope ?? from.scope;
  if (scope) record.scope = scope;
  const idTokenClaims = from.idTokenClaims ?? previous?.idTokenClaims;
  if (idTokenClaims) record.idTokenClaims = idTokenClaims;
  return record;
}
