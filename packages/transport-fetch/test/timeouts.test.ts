import { afterEach, describe, expect, it } from 'vitest';
import { createFetch, type TransportFetch } from '../src/index.ts';
import { startHttpServer, startSilentTcpServer, type TestServer } from './helpers/servers.ts';
import { typedRejection } from './helpers/typed-rejection.ts';

let server: TestServer | undefined;
let transport: TransportFetch | undefined;
afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

const failure = typedRejection;

// undici checks its connect and headers timeouts on a coarse clock (about 1 s resolution),
// so those tests let the server be late by far more than the timeout and allow ~1 s of slack.
describe('timeouts', () => {
  it('slow headers: timeout in phase request (sent, no answer)', async () => {
    server = await startHttpServer((_req, res) => {
      setTimeout(() => res.end('late'), 3000).unref();
    });
    transport = createFetch({ proxy: false, headersTimeoutMs: 200, retry: false });
    const started = Date.now();
    const error = await failure(transport(`${server.url}/slow-headers?secret=abc`));
    expect(error.code).toBe('timeout');
    expect(error.details.phase).toBe('request');
    expect(error.details.option).toBe('headersTimeoutMs');
    expect(error.details.timeoutMs).toBe(200);
    expect(error.details.url).toBe(`${server.url}/slow-headers`);
    expect(error.message).not.toContain('secret');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('slow body: timeout with phase body', async () => {
    server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
      setTimeout(() => res.end('1}'), 1000).unref();
    });
    transport = createFetch({ proxy: false, bodyTimeoutMs: 200, retry: false });
    const error = await failure(transport(`${server.url}/slow-body`));
    expect(error.code).toBe('timeout');
    expect(error.details.phase).toBe('body');
  });

  it('a body that keeps trickling within the body timeout succeeds', async () => {
    server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let n = 0;
      const timer = setInterval(() => {
        res.write(String(n));
        if (++n === 4) {
          clearInterval(timer);
          res.end();
        }
      }, 100);
    });
    transport = createFetch({ proxy: false, bodyTimeoutMs: 250, retry: false });
    const response = await transport(server.url);
    expect(await response.text()).toBe('0123');
  });

  it('concurrent bodies are timed one by one: the silent ones fail, at their own deadline', async () => {
    server = await startHttpServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('-');
      if (req.url === '/silent') return; // then nothing
      let n = 0;
      const timer = setInterval(() => {
        res.write(String(n));
        if (++n === 6) {
          clearInterval(timer);
          res.end();
        }
      }, 60);
    });
    transport = createFetch({ proxy: false, bodyTimeoutMs: 250, retry: false });
    const started = Date.now();
    const early = failure(transport(`${server.url}/silent`));
    const trickles = [transport(`${server.url}/a`), transport(`${server.url}/b`)];
    await new Promise((resolve) => setTimeout(resolve, 150));
    const late = failure(transport(`${server.url}/silent`));
    const earlyError = await early;
    const earlyAt = Date.now() - started;
    const lateError = await late;
    const lateAt = Date.now() - started;
    for (const error of [earlyError, lateError]) {
      expect(error.code).toBe('timeout');
      expect(error.details.phase).toBe('body');
    }
    expect(earlyAt).toBeGreaterThanOrEqual(240);
    expect(earlyAt).toBeLessThan(lateAt);
    expect(lateAt).toBeGreaterThanOrEqual(390);
    for (const response of await Promise.all(trickles)) {
      expect(await response.text()).toBe('-012345');
    }
  });

  it('connect: a TCP server that never answers the TLS handshake times out with phase connect', async () => {
    // Only 127.0.0.1 may be used, so the connect phase is made to hang at the TLS handshake,
    // which undici counts in its connect timeout, like a SYN that is never answered.
    server = await startSilentTcpServer();
    transport = createFetch({ proxy: false, connectTimeoutMs: 200, retry: false });
    const started = Date.now();
    const error = await failure(transport(`https://127.0.0.1:${server.port}/`));
    expect(error.code).toBe('timeout');
    expect(error.details.phase).toBe('connect');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.connections()).toBe(1);
  });

  it('timeouts are not retried', async () => {
    server = await startHttpServer((_req, res) => {
      setTimeout(() => res.end('late'), 3000).unref();
    });
    transport = createFetch({
      proxy: false,
      headersTimeoutMs: 150,
      retry: { attempts: 3, minDelayMs: 10 },
    });
    const error = await failure(transport(server.url));
    expect(error.code).toBe('timeout');
    expect(server.requests()).toBe(1);
  });
});
