import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';

/** The signed-in person: a name (the gateway's own trivial sign-in) and a random session id. */
export interface WebSession {
  user: string;
  /** Random per sign-in; pending authorizations are bound to it. */
  sid: string;
}

const COOKIE = 'gateway_session';

/**
 * Signs in: the cookie holds the name and a fresh session id, signed (HMAC-SHA256) with the
 * secret every process shares, so it cannot be edited and any process can read it.
 */
export async function signIn(c: Context, user: string, secret: string): Promise<WebSession> {
  const session = { user, sid: randomBytes(18).toString('base64url') };
  const value = Buffer.from(JSON.stringify(session), 'utf8').toString('base64url');
  await setSignedCookie(c, COOKIE, value, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
  });
  return session;
}

/** The session of this request, or undefined (no cookie, or a cookie whose signature fails). */
export async function readSession(c: Context, secret: string): Promise<WebSession | undefined> {
  const value = await getSignedCookie(c, secret, COOKIE);
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as WebSession).user === 'string' &&
      typeof (parsed as WebSession).sid === 'string'
    )
      return { user: (parsed as WebSession).user, sid: (parsed as WebSession).sid };
  } catch {
    // a signed value we did not write: treat as signed out
  }
  return undefined;
}

export function signOut(c: Context): void {
  deleteCookie(c, COOKIE, { path: '/' });
}

/** What is stored about a session: its hash, never the id itself. */
export function sessionTag(session: WebSession): string {
  return createHash('sha256').update(session.sid).digest('base64url');
}
