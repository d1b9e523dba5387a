// The contract `@mcp-oauth/core` reads: a failed request's error says in `details.phase` how
// far it got (connect: nothing sent; request: sent, no answer; body: answered, body failed),
// on real sockets.
import { McpOAuthError } from '@mcp-oauth/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetch, type TransportFetch } from '../src/index.ts';
import { freePort, startHttpServer, type TestServer } from './helpers/servers.ts';
import { typedRejection } from './helpers/typed-rejection.ts';

let server: TestServer | undefined;
let transport: TransportFetch | undefined;
afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

describe('details.phase of network errors', () => {
  it('connect: the connection is refused', async () => {
    const port = await freePort();
    transport = createFetch({ proxy: false });
    const error = await typedRejection(
      transport(`http://127.0.0.1:${port}/token`, { method: 'POST', body: 'x' }),
    );
    expect(McpOAuthError.is(error, 'network_error')).toBe(true);
    expect(error.details).toMatchObject({ phase: 'connect', errorCode: 'ECONNREFUSED' });
  });

  it('request: the server reads the request, then resets the connection without answering', async () => {
    server = await startHttpServer((req) => {
      req.resume();
      req.on('end', () => req.socket.resetAndDestroy());
    });
    transport = createFetch({ proxy: false });
    const error = await typedRejection(
      transport(`${server.url}/token`, { method: 'POST', body: 'x' }),
    );
    expect(McpOAuthError.is(error, 'network_error')).toBe(true);
    expect(error.details.phase).toBe('request');
    expect(server.requests()).toBe(1);
  });

  it('body: the response headers came, then the body was cut', async () => {
    server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":', () => res.socket?.resetAndDestroy());
    });
    transport = createFetch({ proxy: false });
    const error = await typedRejection(transport(`${server.url}/data`));
    expect(McpOAuthError.is(error, 'network_error')).toBe(true);
    expect(error.details.phase).toBe('body');
  });
});
