import type { FetchLike } from '../../src/http/types.ts';

/** One request as the fake server received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
  /** The body read as a form (empty when it is not one). */
  form: URLSearchParams;
}

/** Answers one route; `body` is the request body already read as text. */
export type FakeRoute = (request: RecordedRequest) => Response | Promise<Response>;

/**
 * An in-process fake server: a fetch that routes by `METHOD /path` (any origin) and
 * records every request it receives, body included. Unrouted requests get a 404.
 */
export function fakeServer(routes: Record<string, FakeRoute>): {
  fetch: FetchLike;
  requests: RecordedRequest[];
  routes: Record<string, FakeRoute>;
} {
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const body = await request.text();
    const contentType = request.headers.get('content-type') ?? '';
    const recorded: RecordedRequest = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body,
      form: new URLSearchParams(
        contentType.startsWith('application/x-www-form-urlencoded') ? body : '',
      ),
    };
    requests.push(recorded);
    const route = routes[`${request.method} ${new URL(request.url).pathname}`];
    return route ? route(recorded) : new Response('not found', { status: 404 });
  };
  return { fetch, requests, routes };
}

/** A JSON response. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
