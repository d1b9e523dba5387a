import { McpOAuthError } from '@mcp-oauth/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetch, type RetryEvent, type TransportFetch } from '../src/index.ts';
import { freePort, startHttpServer, type TestServer } from './helpers/servers.ts';

let server: TestServer | undefined;
let transport: TransportFetch | undefined;
afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

const fast = { attempts: 3, minDelayMs: 20, maxDelayMs: 50 };
/** Room for a server's Retry-After of a second or two. */
const patient = { attempts: 3, minDelayMs: 20, maxDelayMs: 3000 };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

/** Answers with headers and half the promised body, then resets the connection. */
function resetMidBody(res: import('node:http').ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
  res.write('{"partial":');
  setTimeout(() => res.socket?.resetAndDestroy(), 20);
}

describe('retries', () => {
  it('GET: a connection reset mid-body is retried and the retry succeeds', async () => {
    server = await startHttpServer((_req, res, attempt) => {
      if (attempt === 1) return resetMidBody(res);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const events: RetryEvent[] = [];
    transport = createFetch({ proxy: false, retry: fast, onRetry: (e) => events.push(e) });
    const response = await transport(`${server.url}/data?token=s3cret`, {
      headers: { authorization: 'Bearer s3cret' },
    });
    expect(await response.json()).toEqual({ ok: true });
    expect(server.requests()).toBe(2);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      attempt: 1,
      method: 'GET',
      failure: { type: 'network', phase: 'body' },
    });
    expect(JSON.stringify(events)).not.toContain('s3cret');
  });

  it('GET: resets on every attempt end in network_error after `attempts` tries', async () => {
    server = await startHttpServer((_req, res) => resetMidBody(res));
    transport = createFetch({ proxy: false, retry: { ...fast, attempts: 3 } });
    const error = await rejection(
      transport(`${server.url}/data`, { headers: { authorization: 'Bearer s3cret' } }),
    );
    expect(McpOAuthError.is(error, 'network_error')).toBe(true);
    const e = error as McpOAuthError;
    expect(e.details).toMatchObject({ attempts: 3, phase: 'body', method: 'GET' });
    expect(e.message).not.toContain('s3cret');
    expect(server.requests()).toBe(3);
  });

  it('429 with Retry-After: 1 waits about a second, then succeeds (2 attempts)', async () => {
    const times: number[] = [];
    server = await startHttpServer((_req, res, attempt) => {
      times.push(Date.now());
      if (attempt === 1) return void res.writeHead(429, { 'retry-after': '1' }).end('slow down');
      res.end('done');
    });
    transport = createFetch({ proxy: false, retry: patient });
    const response = await transport(server.url);
    expect(await response.text()).toBe('done');
    expect(server.requests()).toBe(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('Retry-After as an HTTP date is honoured', async () => {
    const times: number[] = [];
    server = await startHttpServer((_req, res, attempt) => {
      times.push(Date.now());
      if (attempt === 1) {
        const when = new Date(Date.now() + 2000).toUTCString(); // second precision: 1-2 s ahead
        return void res.writeHead(503, { 'retry-after': when }).end();
      }
      res.end('done');
    });
    transport = createFetch({ proxy: false, retry: patient });
    expect(await (await transport(server.url)).text()).toBe('done');
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('503 then success', async () => {
    server = await startHttpServer((_req, res, attempt) => {
      if (attempt === 1) return void res.writeHead(503).end('unavailable');
      res.end('up');
    });
    transport = createFetch({ proxy: false, retry: fast });
    const response = await transport(server.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('up');
    expect(server.requests()).toBe(2);
  });

  it('502/503/504 on every attempt: the last response is returned after `attempts` tries', async () => {
    const statuses = [502, 504, 503];
    server = await startHttpServer((_req, res, attempt) => {
      res.writeHead(statuses[attempt - 1] ?? 500).end(`try ${attempt}`);
    });
    transport = createFetch({ proxy: false, retry: { ...fast, attempts: 3 } });
    const response = await transport(server.url, { method: 'DELETE' });
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('try 3');
    expect(server.requests()).toBe(3);
  });

  it('500 and 404 are not retried', async () => {
    server = await startHttpServer((_req, res, attempt) => {
      res.writeHead(attempt === 1 ? 500 : 404).end();
    });
    transport = createFetch({ proxy: false, retry: fast });
    expect((await transport(server.url)).status).toBe(500);
    expect((await transport(server.url)).status).toBe(404);
    expect(server.requests()).toBe(2);
  });

  it('POST is not repeated after a reset or a 503, token requests included (core decides those)', async () => {
    server = await startHttpServer((req, res, attempt) => {
      req.resume();
      req.on('end', () => (attempt === 1 ? resetMidBody(res) : void res.writeHead(503).end()));
    });
    transport = createFetch({ proxy: false, retry: fast });
    const error = await rejection(
      transport(`${server.url}/mcp`, {
        method: 'POST',
        body: '{"jsonrpc":"2.0","id":1,"method":"tools/call"}',
      }),
    );
    expect(McpOAuthError.is(error, 'network_error')).toBe(true);
    expect(server.requests()).toBe(1);
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'r1' });
    const response = await transport(`${server.url}/token`, { method: 'POST', body: form });
    expect(response.status).toBe(503);
    expect(server.requests()).toBe(2);
  });

  it('POST is repeated when nothing was sent (connection refused), up to `attempts`', async () => {
    const port = await freePort();
    const events: RetryEvent[] = [];
    transport = createFetch({ proxy: false, retry: fast, onRetry: (e) => events.push(e) });
    const error = await rejection(
      transport(`http://127.0.0.1:${port}/mcp`, { method: 'POST', body: 'b' }),
    );
    expect((error as McpOAuthError).details).toMatchObject({
      phase: 'connect',
      errorCode: 'ECONNREFUSED',
      attempts: 3,
    });
    expect(events.map((e) => [e.method, e.attempt])).toEqual([
      ['POST', 1],
      ['POST', 2],
    ]);
  });

  it('a user who sets attempts: 3 sees exactly 3 requests (503 every time)', async () => {
    server = await startHttpServer((_req, res) => void res.writeHead(503).end());
    transport = createFetch({ proxy: false, retry: fast });
    expect((await transport(server.url)).status).toBe(503);
    expect(server.requests()).toBe(3);
  });

  it('off by default: one request, whatever the failure', async () => {
    server = await startHttpServer((_req, res) => void res.writeHead(503).end());
    transport = createFetch({ proxy: false });
    expect((await transport(server.url)).status).toBe(503);
    expect(server.requests()).toBe(1);
  });

  it('a refused connection is retried for GET, then reported as network_error (phase connect)', async () => {
    const port = await freePort();
    const events: RetryEvent[] = [];
    transport = createFetch({
      proxy: false,
      retry: { ...fast, attempts: 2 },
      onRetry: (e) => events.push(e),
    });
    const error = await rejection(transport(`http://127.0.0.1:${port}/x`));
    expect(McpOAuthError.is(error, 'network_error')).toBe(true);
    expect((error as McpOAuthError).details).toMatchObject({
      phase: 'connect',
      errorCode: 'ECONNREFUSED',
      attempts: 2,
    });
    expect(events.map((e) => e.failure)).toEqual([
      { type: 'network', phase: 'connect', code: 'ECONNREFUSED' },
    ]);
  });

  it('a stream body (one-shot) is buffered and replayed on retry', async () => {
    const bodies: string[] = [];
    server = await startHttpServer((req, res, attempt) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(attempt === 1 ? 503 : 200).end();
      });
    });
    transport = createFetch({ proxy: false, retry: fast });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('chunk-1,'));
        controller.enqueue(new TextEncoder().encode('chunk-2'));
        controller.close();
      },
    });
    const request = new Request(`${server.url}/put`, {
      method: 'PUT',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect((await transport(request)).status).toBe(200);
    expect(bodies).toEqual(['chunk-1,chunk-2', 'chunk-1,chunk-2']);
  });

  it('an abort during the backoff wait rejects at once with the signal reason', async () => {
    server = await startHttpServer(
      (_req, res) => void res.writeHead(429, { 'retry-after': '5' }).end(),
    );
    transport = createFetch({ proxy: false, retry: patient });
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 150);
    const started = Date.now();
    const error = await rejection(transport(server.url, { signal: controller.signal }));
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.requests()).toBe(1);
  });

  it('an abort while waiting for headers rejects with the signal reason, not retried', async () => {
    server = await startHttpServer((_req, res) => {
      setTimeout(() => res.end(), 3000).unref();
    });
    transport = createFetch({ proxy: false, retry: fast });
    const error = await rejection(transport(server.url, { signal: AbortSignal.timeout(100) }));
    expect((error as Error).name).toBe('TimeoutError');
    expect(server.requests()).toBe(1);
  });

  it('retry: false makes a single attempt', async () => {
    server = await startHttpServer((_req, res) => void res.writeHead(503).end());
    transport = createFetch({ proxy: false, retry: false });
    expect((await transport(server.url)).status).toBe(503);
    expect(server.requests()).toBe(1);
  });
});
