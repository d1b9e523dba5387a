import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLoopback } from './listen.ts';

/**
 * A piece of a streamed body: text or bytes.
 *
 * @example
 * ```ts
 * import type { StaticBodyChunk } from '@mcp-oauth/testing';
 *
 * function* slowJson(): Iterable<StaticBodyChunk> {
 *   yield '{"issuer":';
 *   yield new TextEncoder().encode('"http://127.0.0.1"}');
 * }
 * ```
 */
export type StaticBodyChunk = string | Uint8Array;

/**
 * One canned answer.
 *
 * @example
 * ```ts
 * import { type StaticRoute, startStaticServer } from '@mcp-oauth/testing';
 *
 * const html: StaticRoute = { headers: { 'content-type': 'text/html' }, body: '<h1>Hi</h1>' };
 * const server = await startStaticServer({
 *   routes: { '/.well-known/oauth-authorization-server': html },
 * });
 * await server.close();
 * ```
 */
export interface StaticRoute {
  /** Default 200. */
  status?: number | undefined;
  /** Default `content-type: application/json` unless given. */
  headers?: Record<string, string> | undefined;
  /**
   * A string or bytes (sent with Content-Length), an object (sent as JSON), or a function
   * returning chunks (streamed, for large or endless bodies; stops when the client goes away).
   */
  body?:
    | StaticBodyChunk
    | Record<string, unknown>
    | unknown[]
    | (() => Iterable<StaticBodyChunk> | AsyncIterable<StaticBodyChunk>)
    | undefined;
}

/**
 * Routes by path (`'/x'`, any method) or by method and path (`'POST /x'`). A function
 * route is called per request (e.g. to count or to vary answers).
 *
 * @example
 * ```ts
 * import { type StaticRoutes, startStaticServer } from '@mcp-oauth/testing';
 *
 * let calls = 0;
 * const routes: StaticRoutes = {
 *   '/.well-known/openid-configuration': { status: 404 },
 *   'POST /token': () => ({ status: ++calls === 1 ? 503 : 400, body: { error: 'invalid_grant' } }),
 * };
 * const server = await startStaticServer({ routes });
 * await server.close();
 * ```
 */
export type StaticRoutes = Record<string, StaticRoute | ((req: IncomingMessage) => StaticRoute)>;

/**
 * Options of `startStaticServer`.
 *
 * @example
 * ```ts
 * import { startAuthorizationServer, startStaticServer } from '@mcp-oauth/testing';
 *
 * await using as = await startAuthorizationServer();
 * // a wrong issuer in the metadata; every other request goes to the real server
 * const server = await startStaticServer({
 *   routes: (origin) => ({
 *     '/.well-known/oauth-authorization-server': { body: { issuer: `${origin}/other` } },
 *   }),
 *   proxyTo: as.url,
 * });
 * await server.close();
 * ```
 */
export interface StaticServerOptions {
  /** The routes, or a function of the server's origin (for documents that name their own URL). */
  routes: StaticRoutes | ((origin: string) => StaticRoutes);
  /** Forward unmatched requests to this origin (e.g. a real `AuthServer`'s `url`), else 404. */
  proxyTo?: string | undefined;
  /** Port on 127.0.0.1 (default 0: ephemeral). */
  port?: number | undefined;
}

/**
 * A running static server, started by `startStaticServer`.
 *
 * @example
 * ```ts
 * import { startStaticServer } from '@mcp-oauth/testing';
 *
 * const server = await startStaticServer({ routes: { '/mcp': { status: 500 } } });
 * // ... the client under test requests `${server.url}/mcp` ...
 * server.setRoute('/mcp', { status: 200, body: { jsonrpc: '2.0', id: 1, result: {} } });
 * console.log(server.requests.byRoute); // e.g. { 'POST /mcp': 2 }
 * await server.close();
 * ```
 */
export interface StaticServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The port it listens on. */
  port: number;
  /** Requests received, by `METHOD /path`. */
  requests: {
    /** All requests. */
    total: number;
    /** Requests by `METHOD /path`, e.g. `{ 'GET /x': 1 }`. */
    byRoute: Record<string, number>;
  };
  /** Adds or replaces a route while running. */
  setRoute(key: string, route: StaticRoutes[string]): void;
  /** Stops the server and ends its connections. */
  close(): Promise<void>;
}

async function send(res: ServerResponse, route: StaticRoute): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...route.headers };
  const { body } = route;
  res.writeHead(route.status ?? 200, headers);
  if (typeof body !== 'function') {
    const payload =
      body === undefined || typeof body === 'string' || body instanceof Uint8Array
        ? body
        : JSON.stringify(body);
    res.end(payload);
    return;
  }
  for await (const chunk of body()) {
    if (res.destroyed) return;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  res.end();
}

async function proxy(req: IncomingMessage, res: ServerResponse, target: string): Promise<void> {
  const url = new URL(req.url ?? '/', target);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'host' || name === 'connection') continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const upstream = await fetch(url, {
    method: req.method ?? 'GET',
    headers,
    redirect: 'manual',
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
  });
  const out: Record<string, string | string[]> = {};
  upstream.headers.forEach((value, name) => {
    if (name !== 'content-encoding' && name !== 'content-length' && name !== 'set-cookie') {
      out[name] = value;
    }
  });
  const cookies = upstream.headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  res.writeHead(upstream.status, out);
  res.end(Buffer.from(await upstream.arrayBuffer()));
}

/**
 * A tiny node:http server on 127.0.0.1 answering canned responses by path, for
 * misbehaving-server tests: wrong `issuer`, missing `code_challenge_methods_supported`, HTML
 * with 200, huge or endless bodies, malformed JSON, OIDC-only discovery, path issuers. With
 * `proxyTo`, everything else is forwarded to a real server.
 *
 * @example
 * ```ts
 * import { startStaticServer } from '@mcp-oauth/testing';
 *
 * const server = await startStaticServer({
 *   routes: { '/.well-known/oauth-protected-resource': { body: '<html>', headers: { 'content-type': 'text/html' } } },
 * });
 * const response = await fetch(`${server.url}/.well-known/oauth-protected-resource`);
 * await server.close();
 * ```
 */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const listening = await listenLoopback(options.port);
  const routes: StaticRoutes = {
    ...(typeof options.routes === 'function' ? options.routes(listening.origin) : options.routes),
  };
  const requests = { total: 0, byRoute: {} as Record<string, number> };
  listening.setHandler((req, res) => {
    const path = new URL(req.url ?? '/', listening.origin).pathname;
    const key = `${req.method ?? 'GET'} ${path}`;
    requests.total += 1;
    requests.byRoute[key] = (requests.byRoute[key] ?? 0) + 1;
    const route = routes[key] ?? routes[path];
    const work = route
      ? send(res, typeof route === 'function' ? route(req) : route)
      : options.proxyTo
        ? proxy(req, res, options.proxyTo)
        : send(res, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' });
    work.catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`static server error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  return {
    url: listening.origin,
    port: listening.port,
    requests,
    setRoute(key, route) {
      routes[key] = route;
    },
    close: () => listening.close(),
  };
}

/**
 * A body of `totalBytes` bytes made of `chunk` repeated (e.g. a 5 MB "JSON" document).
 *
 * @example
 * ```ts
 * import { repeatedBody, startStaticServer } from '@mcp-oauth/testing';
 *
 * const server = await startStaticServer({
 *   routes: { '/.well-known/oauth-authorization-server': { body: repeatedBody(5_000_000) } },
 * });
 * await server.close();
 * ```
 */
export function repeatedBody(totalBytes: number, chunk = ' '): () => Iterable<StaticBodyChunk> {
  return function* () {
    const block = Buffer.from(chunk.repeat(Math.max(1, Math.floor(65_536 / chunk.length))));
    let left = totalBytes;
    while (left > 0) {
      const part = left >= block.length ? block : block.subarray(0, left);
      left -= part.length;
      yield part;
    }
  };
}

/**
 * A body that never ends (until the client disconnects or the server closes).
 *
 * @example
 * ```ts
 * import { endlessBody, startStaticServer } from '@mcp-oauth/testing';
 *
 * const server = await startStaticServer({
 *   routes: { 'POST /token': { body: endlessBody() } },
 * });
 * await server.close();
 * ```
 */
export function endlessBody(chunk = '{"a":'): () => AsyncIterable<StaticBodyChunk> {
  return async function* () {
    const block = Buffer.from(chunk.repeat(Math.max(1, Math.floor(16_384 / chunk.length))));
    for (;;) {
      yield block;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
}
