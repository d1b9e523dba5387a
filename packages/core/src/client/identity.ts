import { loadTokens } from '../session/load-tokens.ts';
import type { ServerSession } from '../session/session.ts';
import type { IdTokenClaims } from '../store/records.ts';

/**
 * Who signed in: the claims of the validated OpenID Connect ID token.
 *
 * @example
 * ```ts
 * import { createOAuthClient, type Identity } from '@mcp-oauth/core';
 *
 * const oauth = createOAuthClient({ serverUrl: 'https://mcp.example.com/mcp', scopes: ['openid', 'email'] });
 * const me: Identity | undefined = await oauth.identity();
 * if (me) console.error(`signed in as ${me.email ?? me.subject}`);
 * ```
 */
export interface Identity {
  /** `sub`: the person's stable identifier at the issuer. */
  subject: string;
  /** `email`, when the authorization server includes it (e.g. for the `email` scope). */
  email?: string;
  /** `name`, when the authorization server includes it (e.g. for the `profile` scope). */
  name?: string;
  /** Every claim of the ID token (`iss`, `aud`, `exp`, `iat`, `auth_time`, …); never the token. */
  claims: IdTokenClaims;
}

/** The identity of the stored tokens' ID token claims (loaded lazily by `identity()`). */
export async function identity(session: ServerSession): Promise<Identity | undefined> {
  const claims = (await loadTokens(session))?.idTokenClaims;
  return claims && identityOf(claims);
}

export function identityOf(claims: IdTokenClaims): Identity {
  const { sub, email, name } = claims;
  return {
    subject: sub,
    ...(typeof email === 'string' ? { email } : {}),
    ...(typeof name === 'string' ? { name } : {}),
    claims,
  };
}
