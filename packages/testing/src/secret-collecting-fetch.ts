/**
 * Everything reachable from `value`, as text: own properties, enumerable or not (an Error's
 * message, stack and cause), through any depth, once each. For tests that assert that no
 * secret appears anywhere in what a library publishes.
 *
 * @example
 * ```ts
 * import { serializeAll } from '@mcp-oauth/testing';
 *
 * const error = new Error('refresh failed', { cause: { token: 'tok-123' } });
 * serializeAll(error).includes('tok-123'); // true: the cause is reached
 * ```
 */
export function serializeAll(value: unknown, seen = new Set<unknown>()): string {
  if (value === null || typeof value !== 'object') return String(value);
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Headers || value instanceof URLSearchParams)
    return JSON.stringify([...value.entries()]);
  if (value instanceof Map) return serializeAll([...value.entries()], seen);
  if (value instanceof Set) return serializeAll([...value], seen);
  return Object.getOwnPropertyNames(value)
    .map((name) => `${name}=${serializeAll((value as Record<string, unknown>)[name], seen)}`)
    .join(' ');
}

/**
 * A fetch that keeps every secret it sees go by: credentials in headers, bodies and answers.
 * Give it to the client under test, then check that none of `secrets` appears in its logs,
 * events or errors.
 *
 * @example
 * ```ts
 * import { secretCollectingFetch, serializeAll } from '@mcp-oauth/testing';
 *
 * const { fetch, secrets } = secretCollectingFetch();
 * const events: unknown[] = [];
 * // ... run the client under test with `fetch`, collecting what it publishes in `events` ...
 * const published = serializeAll(events);
 * for (const secret of secrets) if (published.includes(secret)) throw new Error('secret leaked');
 * ```
 */
export function secretCollectingFetch(): {
  /** Passes every request to the global fetch, keeping the secrets it carries. */
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Every secret seen so far: tokens, codes, verifiers, client secrets, assertions. */
  secrets: Set<string>;
} {
  const secrets = new Set<string>();
  const keep = (value: unknown) => {
    if (typeof value === 'string' && value.length >= 8) secrets.add(value);
  };
  const fromForm = (form: URLSearchParams) => {
    for (const name of [
      'code',
      'code_verifier',
      'refresh_token',
      'client_secret',
      'client_assertion',
      'token',
      'assertion',
      'subject_token',
    ])
      keep(form.get(name));
  };
  const fromJson = (json: Record<string, unknown>) => {
    for (const name of [
      'access_token',
      'refresh_token',
      'id_token',
      'client_secret',
      'registration_access_token',
      'device_code',
    ])
      keep(json[name]);
  };
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    for (const name of ['authorization', 'dpop']) {
      const value = headers.get(name);
      if (value) {
        keep(value);
        keep(value.replace(/^\w+ /, '')); // the credential without its scheme
        // client_secret_basic: `client_id:client_secret`; the client id is public (it is in
        // URLs such as RFC 7592's registration_client_uri), the secret is not
        if (/^basic /i.test(value)) {
          const decoded = atob(value.slice(6));
          keep(decodeURIComponent(decoded.slice(decoded.indexOf(':') + 1)));
        }
      }
    }
    const url = new URL(input instanceof Request ? input.url : String(input));
    for (const name of ['code', 'state']) keep(url.searchParams.get(name));
    if (init?.body instanceof URLSearchParams) fromForm(init.body);
    else if (typeof init?.body === 'string') {
      try {
        fromJson(JSON.parse(init.body));
      } catch {
        fromForm(new URLSearchParams(init.body));
      }
    }
    const response = await globalThis.fetch(input, init);
    if (response.headers.get('content-type')?.includes('json')) {
      const json = await response
        .clone()
        .json()
        .catch(() => undefined);
      if (json && typeof json === 'object') fromJson(json as Record<string, unknown>);
    }
    return response;
  };
  return { fetch, secrets };
}
