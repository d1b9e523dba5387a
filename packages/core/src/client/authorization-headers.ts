import { McpOAuthError } from '../errors/error.ts';
import { authorize, usableTokensOrReauthorize } from '../session/authorize.ts';
import type { ServerSession } from '../session/session.ts';

/**
 * `{ authorization: 'Bearer …' }` for a request the application sends itself, with a token
 * refreshed or authorized as needed. A DPoP-bound token is refused: each request needs its own
 * proof (RFC 9449 §4), which only `oauth.fetch` makes.
 */
export async function authorizationHeaders(
  session: ServerSession,
): Promise<{ authorization: string }> {
  const tokens = (await usableTokensOrReauthorize(session)) ?? (await authorize(session));
  if (tokens.tokenType.toLowerCase() === 'dpop')
    throw new McpOAuthError(
      'invalid_configuration',
      'The access token is DPoP-bound: each request needs its own DPoP proof, so no fixed header authorizes it. Send the requests with oauth.fetch (or oauth.middleware()) instead of authorizationHeaders().',
    );
  return { authorization: `Bearer ${tokens.accessToken}` };
}
