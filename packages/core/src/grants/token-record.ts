import type { TokenEndpointResponse } from 'oauth4webapi';
import { McpOAuthError } from '../errors/error.ts';
import type { TokensRecord } from '../store/records.ts';

/**
 * Builds the stored record from a token endpoint response obtained at `now` for `from`'s
 * issuer, resource and client, `from.scope` being the scope asked for; `previous`, on a
 * refresh, is the record refreshed.
 */
export function tokensFromResponse(
  response: TokenEndpointResponse,
  now: number,
  from: { issuer: string; resource: string; clientId: string; scope?: string | undefined },
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
  return record;
}
