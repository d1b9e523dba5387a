import type { TokenEndpointResponse } from 'oauth4webapi';
import { McpOAuthError } from '../errors/error.ts';
import type { TokensRecord } from '../store/records.ts';

/** Builds the stored record from a token endpoint response. */
export function tokensFromResponse(
  response: TokenEndpointResponse,
  args: {
    issuer: string;
    resource: string;
    clientId: string;
    now: number;
    requestedScope: string | undefined;
    previous?: TokensRecord;
  },
): TokensRecord {
  if (typeof response.access_token !== 'string' || !response.access_token) {
    throw new McpOAuthError('invalid_response', 'The token response has no access_token.');
  }
  const record: TokensRecord = {
    v: 1,
    kind: 'tokens',
    issuer: args.issuer,
    resource: args.resource,
    clientId: args.clientId,
    accessToken: response.access_token,
    tokenType: (response.token_type ?? 'bearer').toLowerCase(),
    obtainedAt: args.now,
  };
  if (typeof response.expires_in === 'number' && response.expires_in > 0)
    record.expiresAt = args.now + response.expires_in * 1000;
  // A refresh response without a new refresh token keeps the previous one (RFC 6749 §6).
  const refreshToken = response.refresh_token ?? args.previous?.refreshToken;
  if (refreshToken) record.refreshToken = refreshToken;
  const scope = response.scope ?? args.previous?.scope ?? args.requestedScope;
  if (scope) record.scope = scope;
  return record;
}
