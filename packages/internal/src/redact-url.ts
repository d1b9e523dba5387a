/**
 * A URL fit for messages, events and logs: origin and path only. The query string and the
 * fragment may carry codes, states or tokens, and the user-info part a password.
 */
export function redactUrl(url: string | URL): string {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
