import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetch, type RetryEvent, type TransportFetch } from '../src/index.ts';
import { startHttpServer, type TestServer } from './helpers/servers.ts';

let server: TestServer | undefined;
let transport: TransportFetch | undefined;
afterEach(async () => {
  await transport?.close();
  await server?.close();
});

describe('the diagnostics channel mcp-oauth:http.retry', () => {
  it('publishes each retry, without the query string, with no onRetry given', async () => {
    server = await startHttpServer((_req, res, attempt) => {
      if (attempt === 1) res.writeHead(503, { 'retry-after': '0' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const published: unknown[] = [];
    const listener = (message: unknown) => published.push(message);
    subscribe('mcp-oauth:http.retry', listener);
    try {
      transport = createFetch({
        proxy: false,
        retry: { attempts: 2, minDelayMs: 1, maxDelayMs: 5 },
      });
      const response = await transport(`${server.url}/.well-known/x?code=secret-code&state=s`);
      expect(response.status).toBe(200);
    } finally {
      unsubscribe('mcp-oauth:http.retry', listener);
    }
    expect(published).toEqual([
      {
        type: 'retry',
        method: 'GET',
        url: `${server.url}/.well-known/x`,
        attempt: 1,
        delayMs: expect.any(Number),
        failure: { type: 'status', status: 503 },
      } satisfies RetryEvent,
    ]);
    expect(JSON.stringify(published)).not.toContain('secret-code');
  });
});
