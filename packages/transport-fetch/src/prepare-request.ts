import { Headers } from 'undici';
import type { RetryRequest } from './retry/is-retry-safe.ts';

/** A request whose body can be sent again on every attempt. */
export interface PreparedRequest {
  url: URL;
  method: string;
  headers: Headers;
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
function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return STANDARD_METHODS.has(upper) ? upper : method;
}

/** Bodies that fetch extracts afresh on each send are kept; streams are buffered once. */
async function replayableBody(body: unknown, headers: Headers): Promise<PreparedRequest['body']> {
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
  // A ReadableStream or an async iterable: readable once, so read it now.
  const buffered = new Response(body as ConstructorParameters<typeof Response>[0]);
  const type = buffered.headers.get('content-type');
  if (type !== null && !headers.has('content-type')) headers.set('content-type', type);
  return new Uint8Array(await buffered.arrayBuffer());
}

/**
 * Normalizes fetch's arguments (a string, a URL or a Request, with an optional init) into a
 * request that can be replayed: a one-shot body is read into memory before the first attempt.
 * Adds `User-Agent` when the caller did not set one.
 */
export async function prepareRequest(
  input: string | URL | Request,
  init: RequestInit | undefined,
  userAgent: string,
): Promise<PreparedRequest> {
  let url: URL;
  let method = init?.method;
  let headers: Headers;
  let body: unknown = init?.body;
  let signal = init?.signal ?? undefined;
  let redirect = init?.redirect;
  if (typeof input === 'string' || input instanceof URL) {
    url = new URL(input);
    headers = new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]);
  } else {
    const request = input as unknown as AnyRequest;
    url = new URL(request.url);
    method ??= request.method;
    headers = new Headers(
      (init?.headers ?? request.headers) as ConstructorParameters<typeof Headers>[0],
    );
    if (body === undefined && request.body !== null) body = await request.arrayBuffer();
    signal ??= request.signal;
    redirect ??= request.redirect;
  }
  if (!headers.has('user-agent')) headers.set('user-agent', userAgent);
  return {
    url,
    method: normalizeMethod(method ?? 'GET'),
    headers,
    body: await replayableBody(body, headers),
    signal,
    redirect,
  };
}

/** The view of a prepared request that `isRetrySafe` gets. */
export function retryRequestView(request: PreparedRequest): RetryRequest {
  const type = request.headers.get('content-type') ?? '';
  let formBody: string | undefined;
  if (type.toLowerCase().startsWith(FORM_TYPE)) {
    if (typeof request.body === 'string') formBody = request.body;
    else if (request.body instanceof Uint8Array) formBody = new TextDecoder().decode(request.body);
    else if (request.body instanceof ArrayBuffer) formBody = new TextDecoder().decode(request.body);
  }
  return {
    method: request.method,
    url: request.url,
    headers: request.headers as unknown as globalThis.Headers,
    formBody,
  };
}
