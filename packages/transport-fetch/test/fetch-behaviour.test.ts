// createFetch sends every request through undici's fetch, over a dispatcher with its own
// interceptor and guards. These tests hold it to fetch's behaviour: each scenario runs with
// bare undici.fetch and with createFetch against the same local server, and what the server
// saw and what the caller got must be the same.
import type http from 'node:http';
import zlib from 'node:zlib';
import { McpOAuthError } from '@mcp-oauth/core';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetch, type TransportFetch } from '../src/index.ts';
import { startHttpServer, startSilentTcpServer, type TestServer } from './helpers/servers.ts';
import { typedRejection } from './helpers/typed-rejection.ts';

type Seen = { method: string; url: string; headers: [string, string][]; body: string };

let server: TestServer;
let other: TestServer; // another origin (same host, another port)
let transport: TransportFetch;
let agent: Agent;
const seen: Seen[] = [];

function collect(req: http.IncomingMessage): Promise<Seen> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        headers.push([
          (req.rawHeaders[i] as string).toLowerCase(),
          req.rawHeaders[i + 1] as string,
        ]);
      }
      resolve({
        method: req.method ?? '',
        url: req.url ?? '',
        // Fields of different names in any order mean the same (RFC 9110 §5.3): sorted by
        // name, stably, so repeated fields keep their order.
        headers: headers
          .filter(([name]) => name !== 'host' && name !== 'connection')
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        body: Buffer.concat(chunks).toString('latin1'),
      });
    });
  });
}

const gzipped = zlib.gzipSync('{"coding":"gzip"}');
const deflated = zlib.deflateSync('{"coding":"deflate"}');
const rawDeflated = zlib.deflateRawSync('{"coding":"deflate-raw"}');
const brotli = zlib.brotliCompressSync('{"coding":"br"}');
// zstd: Node 22.15 and later (undici's fetch decodes it there); elsewhere both leave it as is.
const zstdCompress = (zlib as unknown as { zstdCompressSync?: (data: string) => Buffer })
  .zstdCompressSync;
const zstd = zstdCompress ? zstdCompress('{"coding":"zstd"}') : Buffer.from('not decodable here');

async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const request = await collect(req);
  seen.push(request);
  const url = new URL(request.url, 'http://x');
  const path = url.pathname;
  const param = (name: string): string => url.searchParams.get(name) ?? '';
  if (path === '/echo') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(request));
  } else if (path === '/status') {
    const status = Number(param('code'));
    res.writeHead(status, param('text') || undefined, { 'x-status': String(status) });
    res.end(status === 204 || status === 304 ? undefined : `status ${status}`);
  } else if (path === '/cookies') {
    res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
    res.setHeader('x-multi', ['one', 'two']);
    res.end('cookies');
  } else if (path === '/redirect') {
    const hops = Number(param('hops') || '1');
    const target =
      param('to') ||
      (hops > 1
        ? `/redirect?hops=${hops - 1}&status=${param('status')}`
        : `/echo?after=${param('status')}`);
    res.writeHead(Number(param('status') || '302'), { location: target });
    res.end('moved');
  } else if (path === '/coded') {
    const which = param('c');
    const body = {
      gzip: gzipped,
      deflate: deflated,
      'deflate-raw': rawDeflated,
      br: brotli,
      zstd,
      unknown: Buffer.from('as is'),
    }[which];
    const coding = which === 'deflate-raw' ? 'deflate' : which === 'unknown' ? 'snappy' : which;
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding });
    res.end(body);
  } else if (path === '/coded-stream') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
    const gzip = zlib.createGzip({ flush: zlib.constants.Z_SYNC_FLUSH });
    gzip.pipe(res);
    gzip.write('data: one\n\n');
    setTimeout(() => gzip.end('data: two\n\n'), 20);
  } else {
    res.writeHead(404).end('no route');
  }
}

beforeAll(async () => {
  server = await startHttpServer((req, res) => void route(req, res));
  other = await startHttpServer((req, res) => void route(req, res));
  transport = createFetch({ proxy: false, retry: false });
  agent = new Agent();
});
afterAll(async () => {
  await transport.close();
  await agent.close();
  await server.close();
  await other.close();
});

/** What the caller sees of a response. */
async function observe(response: Response): Promise<Record<string, unknown>> {
  return {
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    url: response.url,
    redirected: response.redirected,
    headers: [...response.headers].filter(([name]) => name !== 'date'),
    setCookie: response.headers.getSetCookie(),
    bodyIsNull: response.body === null,
    body: await response.text(),
  };
}

/** The same request through bare undici.fetch and through createFetch: what each saw. */
async function both(url: string, init: RequestInit = {}) {
  // The same User-Agent both ways: ours differs from undici's by design.
  const withAgent = (headers: RequestInit['headers']): Headers => {
    const h = new Headers(headers);
    if (!h.has('user-agent')) h.set('user-agent', 'diff-test');
    return h;
  };
  seen.length = 0;
  const bare = await observe(
    (await undiciFetch(url, {
      ...(init as object),
      headers: withAgent(init.headers) as unknown as [string, string][],
      dispatcher: agent,
    })) as unknown as Response,
  );
  const bareSeen = [...seen];
  seen.length = 0;
  const headers =
    init.headers === undefined || init.headers instanceof Headers || Array.isArray(init.headers)
      ? withAgent(init.headers)
      : { 'user-agent': 'diff-test', ...init.headers };
  const ours = await observe(await transport(url, { ...init, headers }));
  const oursSeen = [...seen];
  return { bare, ours, bareSeen, oursSeen };
}

describe('createFetch behaves as undici.fetch', () => {
  it.each([
    ['GET', {}],
    ['GET with a trailing ? and a fragment', { path: '/echo?#frag' }],
    ['POST with a text body (default Content-Type)', { method: 'POST', body: 'hello' }],
    ['POST with bytes', { method: 'POST', body: new Uint8Array([1, 2, 250]) }],
    ['POST with an ArrayBuffer', { method: 'POST', body: new Uint8Array([7, 8]).buffer }],
    [
      'POST with a view into a larger buffer',
      { method: 'POST', body: new DataView(new Uint8Array([0, 1, 2, 3, 4]).buffer, 1, 3) },
    ],
    ['POST with a form', { method: 'POST', body: new URLSearchParams({ a: '1', b: 'x y' }) }],
    [
      'PUT with JSON and padded, case-colliding headers',
      {
        method: 'put',
        body: '{"a":1}',
        headers: { 'Content-Type': 'application/json', 'X-A': ' v ', 'x-a': 'w' },
      },
    ],
    ['DELETE with caller Accept headers', { method: 'DELETE', headers: { accept: 'text/x' } }],
    [
      'PATCH with a Headers object',
      { method: 'PATCH', body: 'p', headers: new Headers({ a: 'b' }) },
    ],
    ['a Blob body (left to fetch)', { method: 'POST', body: new Blob(['blob'], { type: 'x/y' }) }],
    ['a Range header (left to fetch)', { headers: { range: 'bytes=0-1' } }],
  ] as [string, RequestInit & { path?: string }][])('request: %s', async (_name, init) => {
    const { path = '/echo', ...rest } = init;
    const { bare, ours, bareSeen, oursSeen } = await both(`${server.url}${path}`, rest);
    expect(oursSeen).toEqual(bareSeen);
    expect(oursSeen).toHaveLength(1);
    expect(ours).toEqual(bare);
  });

  it.each([
    [200, ''],
    [201, 'Made'],
    [204, ''],
    [304, ''],
    [404, ''],
    [500, 'Broken'],
  ])('response: status %i %s', async (code, text) => {
    const { bare, ours } = await both(`${server.url}/status?code=${code}&text=${text}`);
    expect(ours).toEqual(bare);
    expect(ours.status).toBe(code);
  });

  it('response: HEAD has no body; Set-Cookie and repeated headers are kept', async () => {
    const head = await both(`${server.url}/status?code=200`, { method: 'HEAD' });
    expect(head.ours).toEqual(head.bare);
    expect(head.ours.bodyIsNull).toBe(true);
    const cookies = await both(`${server.url}/cookies`);
    expect(cookies.ours).toEqual(cookies.bare);
    expect(cookies.ours.setCookie).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });

  it.each([
    ['301 GET', 301, 'GET'],
    ['302 POST becomes GET without its body', 302, 'POST'],
    ['303 PUT becomes GET', 303, 'PUT'],
    ['307 POST keeps method and body', 307, 'POST'],
    ['308 PATCH keeps method and body', 308, 'PATCH'],
  ])('redirect: %s', async (_name, status, method) => {
    const init: RequestInit = { method };
    if (method !== 'GET') {
      init.body = 'payload';
      init.headers = { 'content-type': 'text/x', 'content-language': 'en', authorization: 'A' };
    }
    const { bare, ours, bareSeen, oursSeen } = await both(
      `${server.url}/redirect?status=${status}#frag`,
      init,
    );
    expect(oursSeen).toEqual(bareSeen);
    expect(oursSeen).toHaveLength(2);
    expect(ours).toEqual(bare);
    expect(ours.redirected).toBe(true);
    expect(ours.url).toBe(`${server.url}/echo?after=${status}`);
  });

  it('redirect: a chain of 5 relative hops, and 20 hops at most', async () => {
    const chain = await both(`${server.url}/redirect?hops=5&status=302`);
    expect(chain.oursSeen).toEqual(chain.bareSeen);
    expect(chain.ours).toEqual(chain.bare);
    expect(chain.oursSeen).toHaveLength(6);
    const twenty = await both(`${server.url}/redirect?hops=20&status=302`);
    expect(twenty.ours).toEqual(twenty.bare);
    seen.length = 0;
    const error = await typedRejection(transport(`${server.url}/redirect?hops=21&status=302`));
    expect(error.code).toBe('network_error');
    expect(error.message).toContain('redirect count exceeded');
    expect(seen).toHaveLength(21);
    await expect(
      undiciFetch(`${server.url}/redirect?hops=21&status=302`, { dispatcher: agent }),
    ).rejects.toThrow(TypeError);
  });

  it('redirect: to another origin drops Authorization and Cookie, keeps the rest', async () => {
    const to = encodeURIComponent(`${other.url}/echo`);
    const headers = { authorization: 'Bearer secret', cookie: 'c=1', 'x-keep': 'k' };
    const { bare, ours, bareSeen, oursSeen } = await both(`${server.url}/redirect?to=${to}`, {
      headers,
    });
    expect(oursSeen).toEqual(bareSeen);
    expect(ours).toEqual(bare);
    const second = oursSeen[1]?.headers ?? [];
    expect(second.find(([n]) => n === 'authorization')).toBeUndefined();
    expect(second.find(([n]) => n === 'cookie')).toBeUndefined();
    expect(second).toContainEqual(['x-keep', 'k']);
    // on the same origin, Authorization goes along
    const same = await both(`${server.url}/redirect`, { headers });
    expect(same.oursSeen[1]?.headers).toContainEqual(['authorization', 'Bearer secret']);
  });

  it('redirect: manual returns the 3xx; error rejects; a non-HTTP Location rejects', async () => {
    const manual = await both(`${server.url}/redirect?status=302`, { redirect: 'manual' });
    expect(manual.ours).toEqual(manual.bare);
    expect(manual.ours.status).toBe(302);
    expect(manual.ours.headers).toContainEqual(['location', '/echo?after=302']);
    const refused = await typedRejection(
      transport(`${server.url}/redirect`, { redirect: 'error' }),
    );
    expect(refused.code).toBe('network_error');
    expect(refused.message).toContain('unexpected redirect');
    const scheme = await typedRejection(
      transport(`${server.url}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`),
    );
    expect(scheme.message).toContain('HTTP(S) scheme');
  });

  it.each(['gzip', 'deflate', 'deflate-raw', 'br', 'zstd', 'unknown'])(
    'content coding: %s',
    async (coding) => {
      const { bare, ours } = await both(`${server.url}/coded?c=${coding}`);
      expect(ours).toEqual(bare);
      const decodable = coding !== 'unknown' && (coding !== 'zstd' || zstdCompress !== undefined);
      if (decodable) expect(JSON.parse(String(ours.body)).coding).toBe(coding);
      else expect(ours.body).not.toContain('coding');
    },
  );

  it('content coding: a gzip event stream is decoded as it arrives', async () => {
    const { bare, ours } = await both(`${server.url}/coded-stream`);
    expect(ours).toEqual(bare);
    expect(ours.body).toBe('data: one\n\ndata: two\n\n');
  });
});

describe('createFetch beyond fetch', () => {
  it('a compressed body that expands past maxResponseBytes is refused (no decompression bomb)', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024)); // 8 MiB of zeros, ~8 kB sent
    const local = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const fetch = createFetch({ proxy: false, retry: false, maxResponseBytes: 1024 * 1024 });
    try {
      const error = await typedRejection(fetch(local.url));
      expect(error.code).toBe('response_too_large');
      expect(error.details.limit).toBe(1024 * 1024);
      // a body within the limit once decoded passes
      expect(bomb.length).toBeLessThan(1024 * 1024);
    } finally {
      await fetch.close();
      await local.close();
    }
  });

  it('a corrupt compressed body fails with a typed network error in the body phase', async () => {
    const local = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end('this is not gzip at all');
    });
    const fetch = createFetch({ proxy: false, retry: false });
    try {
      const error = await typedRejection(fetch(local.url));
      expect(error.code).toBe('network_error');
      expect(error.details.phase).toBe('body');
    } finally {
      await fetch.close();
      await local.close();
    }
  });

  it('abort: before sending, while waiting for headers, and while an event stream is read', async () => {
    let requests = 0;
    const local = await startHttpServer((req, res) => {
      requests++;
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
      } // otherwise: never answers
    });
    const fetch = createFetch({ proxy: false, retry: false });
    try {
      const early = new AbortController();
      early.abort(new Error('stop early'));
      await expect(fetch(local.url, { signal: early.signal })).rejects.toThrow('stop early');
      expect(requests).toBe(0);

      const waiting = new AbortController();
      const pending = fetch(`${local.url}/hang`, { signal: waiting.signal });
      setTimeout(() => waiting.abort(), 50);
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

      const reading = new AbortController();
      const response = await fetch(`${local.url}/stream`, { signal: reading.signal });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: first\n\n');
      reading.abort(new Error('enough'));
      await expect(reader.read()).rejects.toThrow('enough');
    } finally {
      await fetch.close();
      await local.close();
    }
  });

  it('abort while the connection is still being made (a TLS handshake that never ends) settles at once', async () => {
    const silent = await startSilentTcpServer();
    const fetch = createFetch({ proxy: false, retry: false, connectTimeoutMs: 20_000 });
    try {
      const controller = new AbortController();
      const started = Date.now();
      const pending = fetch(silent.url, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('gave up')), 100);
      await expect(pending).rejects.toThrow('gave up');
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(silent.connections()).toBe(1);
    } finally {
      // undici's close() waits for a connection still being made (bare undici.fetch too):
      // end it from the server's side first.
      await silent.close();
      await fetch.close();
    }
  });

  it('an event stream nobody reads applies backpressure: the server cannot push unbounded data', async () => {
    const written = { bytes: 0, closed: false };
    const local = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.on('close', () => {
        written.closed = true;
      });
      const pump = (): void => {
        while (!res.destroyed && written.bytes < 256 * 1024 * 1024) {
          written.bytes += 1024;
          if (!res.write(`data: ${'s'.repeat(1016)}\n\n`)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    const fetch = createFetch({ proxy: false, retry: false });
    try {
      const response = await fetch(local.url);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const stalledAt = written.bytes;
      // kernel socket buffers and one queued chunk, not the 256 MiB the server would send
      expect(stalledAt).toBeLessThan(32 * 1024 * 1024);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(written.bytes - stalledAt).toBeLessThan(4 * 1024 * 1024);
      await response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(written.closed).toBe(true);
    } finally {
      await fetch.close();
      await local.close();
    }
  });

  it('McpOAuthError, not a raw undici error, for a refused connection', async () => {
    const local = await startHttpServer(() => {});
    const url = local.url;
    await local.close();
    const error = await typedRejection(createFetch({ proxy: false, retry: false })(url));
    expect(McpOAuthError.isInstance(error)).toBe(true);
    expect(error.code).toBe('network_error');
    expect(error.details.errorCode).toBe('ECONNREFUSED');
  });
});
