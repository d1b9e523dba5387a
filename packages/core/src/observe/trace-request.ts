import { safeUrl } from '../http/guarded-fetch.ts';
import type { FetchLike } from '../http/types.ts';
import type { TracingChannel } from './diagnostics-channel.ts';
import type { OAuthHttpRequest, OAuthRequestKind } from './http-request.ts';

/**
 * Sends one OAuth request through `channel.tracePromise`, with a context that names the
 * request (kind, method, URL without query) and, once answered, its status and duration.
 * The context holds no header, body or response: they may carry secrets.
 */
export async function traceRequest(
  channel: TracingChannel,
  fetch: FetchLike,
  input: Parameters<FetchLike>[0],
  init: Parameters<FetchLike>[1],
): Promise<Response> {
  if (!(channel.hasSubscribers ?? anySubscriber(channel))) return fetch(input, init);
  const body = init?.body;
  const form = body instanceof URLSearchParams ? body : undefined;
  const headers = new Headers(init?.headers);
  const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
  const url = safeUrl(input instanceof Request ? input.url : String(input));
  const context: OAuthHttpRequest = { kind: kindOf(method, url, headers, form), method, url };
  const grantType = form?.get('grant_type');
  if (grantType) context.grantType = grantType;
  const started = performance.now();
  let response: Response | undefined;
  await channel.tracePromise(async () => {
    try {
      response = await fetch(input, init);
      context.status = response.status;
    } finally {
      context.durationMs = performance.now() - started;
    }
  }, context);
  return response as Response;
}

/** Where the TracingChannel has no `hasSubscribers` of its own (Bun). */
const anySubscriber = (channel: TracingChannel) =>
  channel.start.hasSubscribers ||
  channel.end.hasSubscribers ||
  channel.asyncStart.hasSubscribers ||
  channel.asyncEnd.hasSubscribers ||
  channel.error.hasSubscribers;

/**
 * Told apart by what oauth4webapi and core send: a form with `grant_type` goes to the token
 * endpoint, one with `token` to revocation (no `accept`) or introspection; another form is a
 * device authorization request. A GET without credentials is discovery (`/.well-known/`) or a
 * JWKS; the rest (JSON, or with a registration access token) is registration (RFC 7591/7592).
 */
function kindOf(
  method: string,
  url: string,
  headers: Headers,
  form: URLSearchParams | undefined,
): OAuthRequestKind {
  if (form) {
    if (form.has('grant_type')) return 'token';
    if (form.has('token')) return headers.has('accept') ? 'introspection' : 'revocation';
    return 'device_authorization';
  }
  if (method === 'GET' && !headers.has('authorization'))
    return url.includes('/.well-known/') ? 'discovery' : 'jwks';
  return 'registration';
}
