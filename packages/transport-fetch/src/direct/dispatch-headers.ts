import type { PreparedRequest } from '../prepare-request.ts';

/** Request headers as undici's dispatcher takes them: lower-case names, one value each. */
export type DispatchHeaders = Record<string, string>;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What undici's dispatcher accepts in a value (fetch's own check is looser: no \0, CR, LF). */
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const STRING_BODY_TYPE = 'text/plain;charset=UTF-8';

/**
 * Headers that make fetch do more than send them (caching modes, ranges, connection
 * management, which undici's dispatcher handles apart or refuses). A request carrying one is
 * left to undici's fetch, so that it behaves exactly as fetch would.
 */
const LEFT_TO_FETCH = new Set([
  'host',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'transfer-encoding',
  'content-length',
  'te',
  'trailer',
  'range',
  'if-modified-since',
  'if-none-match',
  'if-unmodified-since',
  'if-match',
  'if-range',
]);

const DIRECT_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH']);

/**
 * Requests whose every step is plain for fetch: an http(s) URL without credentials, a
 * standard method, a body that is absent, text or bytes (and absent for GET and HEAD, which
 * fetch refuses otherwise). Others (Blob and FormData bodies, odd methods) are left to fetch.
 */
function isDirectRequest(request: PreparedRequest): boolean {
  const { url, method, body } = request;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '') return false;
  if (!DIRECT_METHODS.has(method)) return false;
  if (body === null) return true;
  if (method === 'GET' || method === 'HEAD') return false;
  return typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer;
}

/** Strips the HTTP whitespace (tab, space, CR, LF) fetch strips from both ends of a value. */
function normalizeValue(value: string): string {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  const padded = first === 0x20 || first === 0x09 || last === 0x20 || last === 0x09;
  return padded || first === 0x0a || first === 0x0d || last === 0x0a || last === 0x0d
    ? value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '')
    : value;
}

/**
 * The headers undici's fetch would send for `request`: the caller's, `Sec-Fetch-Mode: cors`,
 * and `Accept`, `Accept-Language` and, for a text body, `Content-Type` when absent
 * (`Accept-Encoding` depends on each hop's URL: see `directFetch`). Undefined when the request
 * must go through fetch itself: see `isDirectRequest`, an invalid header (fetch rejects it
 * with its own TypeError), or one of `LEFT_TO_FETCH`.
 */
export function dispatchHeaders(request: PreparedRequest): DispatchHeaders | undefined {
  if (!isDirectRequest(request)) return undefined;
  const headers: DispatchHeaders = {};
  const given = request.fetchHeaders;
  if (request.headers === undefined) {
    // A plain record, not yet validated: check each name and value as fetch would.
    const record = given as Readonly<Record<string, string>>;
    for (const name in record) {
      const raw = record[name];
      if (typeof raw !== 'string' || !TOKEN.test(name)) return undefined;
      const value = normalizeValue(raw);
      if (!VALUE.test(value)) return undefined;
      const lower = name.toLowerCase();
      const previous = headers[lower];
      headers[lower] = previous === undefined ? value : `${previous}, ${value}`;
    }
  } else {
    // A Headers: validated, normalized and combined already.
    for (const [name, value] of request.headers) {
      if (!VALUE.test(value)) return undefined;
      headers[name] = value;
    }
  }
  for (const name in headers) if (LEFT_TO_FETCH.has(name)) return undefined;
  if (headers.accept === undefined) headers.accept = '*/*';
  if (headers['accept-language'] === undefined) headers['accept-language'] = '*';
  headers['sec-fetch-mode'] = 'cors'; // fetch sets it over the caller's value
  if (typeof request.body === 'string' && headers['content-type'] === undefined) {
    headers['content-type'] = STRING_BODY_TYPE;
  }
  return headers;
}
