/**
 * A URL fit for messages, events and logs: scheme, host and path only. The query string and
 * the fragment may carry codes, states or tokens, and the user-info part a password. Works for
 * schemes without a web origin too (`redis://user:pw@host:6379/0` gives `redis://host:6379/0`).
 */
export function redactUrl(url: string | URL): string {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    const origin = u.origin === 'null' ? `${u.protocol}//${u.host}` : u.origin;
    return `${origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
