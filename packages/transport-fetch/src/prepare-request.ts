import { Headers } from 'undici';
import type { RetryRequest } from './retry/is-retry-safe.ts';

/** A request whose body can be sent again on every attempt. */
export interface PreparedRequest {
  url: URL;
  method: string;
  /**
   * The headers fetch is given: a `Headers`, or on the fast path the caller's plain record
   * (with `User-Agent` added), which fetch converts and validates itself, sparing a second
   * `Headers` per request. `requestHeaders` turns it into a `Headers` when one is needed.
   */
  fetchHeaders: Headers | Readonly<Record<string, string>>;
  /** The headers as a `Headers`, once built (see `requestHeaders`). */
  headers: Headers | undefined;
  body: string | Uint8Array | ArrayBuffer | Blob | FormData | null;
  signal: AbortSignal | undefined;
  redirect: RequestInit['redirect'];
}

type AnyRequest = {
  url: string;
  method: string;
  headers: Iterable<[string, string]>;
  body: ReadableStream<Uint8Array> | null;
  signal?: AbortSignal;
  redirect?: RequestInit['redirect'];
  arrayBuffer(): Promise<ArrayBuffer>;
};

const FORM_TYPE = 'application/x-www-form-urlencoded';
const STANDARD_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH']);

/** Upper-cases the standard methods, as fetch does; other methods are sent as given. */
function normalizeMethod(method: string | undefined): string {
  if (method === undefined || method === 'GET') return 'GET';
  const upper = method.toUpperCase();
  return STANDARD_METHODS.has(upper) ? upper : method;
}

/**
 * Bodies that fetch extracts afresh on each send are kept (synchronously); streams are
 * buffered once, which returns a promise.
 */
function replayableBody(
  body: unknown,
  headers: Headers,
): PreparedRequest['body'] | Promise<PreparedRequest['body']> {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer) {
    return body;
  }
  if (body instanceof URLSearchParams) {
    if (!headers.has('content-type')) headers.set('content-type', `${FORM_TYPE};charset=UTF-8`);
    return body.toString();
  }
  if (ArrayBuffer.isView(body)) {
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  }
  if (body instanceof Blob || body instanceof FormData) return body;
  return bufferBody(body, headers);
}

/** A ReadableStream or an async iterable: readable once, so read it now. */
async function bufferBody(body: unknown, headers: Headers): Promise<Uint8Array> {
  const buffered = new Response(body as ConstructorParameters<typeof Response>[0]);
  const type = buffered.headers.get('content-type');
  if (type !== null && !headers.has('content-type')) headers.set('content-type', type);
  return new Uint8Array(await buffered.arrayBuffer());
}

/**
 * Normalizes fetch's arguments (a string, a URL or a Request, with an optional init) into a
 * request that can be replayed: a one-shot body is read into memory before the first attempt.
 * Adds `User-Agent` when the caller did not set one. Synchronous unless a body must be read
 * (a Request's body, a stream): then it returns a promise.
 */
export function prepareRequest(
  input: string | URL | Request,
  init: RequestInit | undefined,
  userAgent: string,
): PreparedRequest | Promise<PreparedRequest> {
  if (typeof input === 'string' || input instanceof URL) {
    const url = new URL(input);
    const fast = fastPath(url, init, userAgent);
    if (fast !== undefined) return fast;
    const headers = new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]);
    return complete(
      url,
      init?.method,
      headers,
      init?.body,
      init?.signal ?? undefined,
      init?.redirect,
      userAgent,
    );
  }
  return prepareFromRequest(input as unknown as AnyRequest, init, userAgent);
}

/** True for `{...}` literals and `Object.create(null)`: records fetch reads like Headers does. */
function isPlainRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The common case, without building a `Headers`: headers absent or a plain record, and a body
 * that needs no header of its own (none, a string, bytes). The record is checked (for a
 * `User-Agent`) and copied, not converted: fetch converts it on each attempt, and an invalid
 * header still fails with the same TypeError before anything is sent (see `send`).
 */
function fastPath(
  url: URL,
  init: RequestInit | undefined,
  userAgent: string,
): PreparedRequest | undefined {
  const headersInit = init?.headers;
  const body = init?.body;
  if (headersInit !== undefined && !isPlainRecord(headersInit)) return undefined;
  if (
    !(
      body === undefined ||
      body === null ||
      typeof body === 'string' ||
      body instanceof Uint8Array ||
      body instanceof ArrayBuffer
    )
  ) {
    return undefined;
  }
  let fetchHeaders: Record<string, string>;
  if (headersInit === undefined) {
    fetchHeaders = { 'user-agent': userAgent };
  } else {
    // A copy, as a Headers would be. Object.assign is an order of magnitude faster than a
    // spread here; it would set the prototype for an own `__proto__` key, left to Headers.
    if (Object.hasOwn(headersInit, '__proto__')) return undefined;
    fetchHeaders = Object.assign({}, headersInit);
    let hasUserAgent = false;
    for (const name of Object.keys(headersInit)) {
      if (name.length === 10 && name.toLowerCase() === 'user-agent') {
        hasUserAgent = true;
        break;
      }
    }
    if (!hasUserAgent) fetchHeaders['user-agent'] = userAgent;
  }
  return {
    url,
    method: normalizeMethod(init?.method),
    fetchHeaders,
    headers: undefined,
    body: body ?? null,
    signal: init?.signal ?? undefined,
    redirect: init?.redirect,
  };
}

/**
 * The request's headers as a `Headers`, built from the record on first use (this throws the
 * TypeError the caller's invalid headers deserve). From then on fetch is given this object,
 * so changes made to it (by an `isRetrySafe` predicate, say) reach the next attempts.
 */
export function requestHeaders(request: PreparedRequest): Headers {
  if (request.headers === undefined) {
    const headers = new Headers(request.fetchHeaders);
    request.headers = headers;
    request.fetchHeaders = headers;
  }
  return request.headers;
}

async function prepareFromRequest(
  request: AnyRequest,
  init: RequestInit | undefined,
  userAgent: string,
): Promise<PreparedRequest> {
  const url = new URL(request.url);
  const headers = new Headers(
    (init?.headers ?? request.headers) as ConstructorParameters<typeof Headers>[0],
  );
  let body: unknown = init?.body;
  if (body === undefined && request.body !== null) body = await request.arrayBuffer();
  return complete(
    url,
    init?.method ?? request.method,
    headers,
    body,
    init?.signal ?? request.signal,
    init?.redirect ?? request.redirect,
    userAgent,
  );
}

function complete(
  url: URL,
  method: string | undefined,
  headers: Headers,
  body: unknown,
  signal: AbortSignal | undefined,
  redirect: RequestInit['redirect'],
  userAgent: string,
): PreparedRequest | Promise<PreparedRequest> {
  if (!headers.has('user-agent')) headers.set('user-agent', userAgent);
  const normalized = normalizeMethod(method);
  const replayable = replayableBody(body, headers);
  if (replayable instanceof Promise) {
    return replayable.then((buffered) => ({
      url,
      method: normalized,
      fetchHeaders: headers,
      headers,
      body: buffered,
      signal,
      redirect,
    }));
  }
  return {
    url,
    method: normalized,
    fetchHeaders: headers,
    headers,
    body: replayable,
    signal,
    redirect,
  };
}

/** The view of a prepared request that `isRetrySafe` gets. */
export function retryRequestView(request: PreparedRequest): RetryRequest {
  return {
    method: request.method,
    url: request.url,
    headers: requestHeaders(request) as unknown as globalThis.Headers,
  };
}
