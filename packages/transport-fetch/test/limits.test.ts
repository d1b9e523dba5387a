import { afterEach, describe, expect, it } from 'vitest';
import { createFetch, type TransportFetch } from '../src/index.ts';
import { startHttpServer, type TestServer } from './helpers/servers.ts';
import { typedRejection } from './helpers/typed-rejection.ts';

let server: TestServer | undefined;
let transport: TransportFetch | undefined;
afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

const rejection = typedRejection;

/** Streams 16 KiB chunks for as long as the client reads; counts what it managed to write. */
function endless(written: { bytes: number; closed: boolean }) {
  return (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(16 * 1024, 'a');
    res.on('close', () => {
      written.closed = true;
    });
    const pump = (): void => {
      // Bounded: stops at 256 MiB even if nobody ever cuts it off.
      while (!res.destroyed && written.bytes < 256 * 1024 * 1024) {
        written.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    pump();
  };
}

describe('response size limits', () => {
  it('an endless body is cut off with response_too_large, without reading it all', async () => {
    const written = { bytes: 0, closed: false };
    server = await startHttpServer(endless(written));
    transport = createFetch({ proxy: false, maxResponseBytes: 64 * 1024, retry: false });
    const error = await rejection(transport(`${server.url}/metadata`));
    expect(error.code).toBe('response_too_large');
    expect(error.details.limit).toBe(64 * 1024);
    // We stop within one chunk of the limit.
    expect(Number(error.details.receivedBytes)).toBeLessThanOrEqual(64 * 1024 + 128 * 1024);
    // The connection is closed: the server stops far before its own 256 MiB bound.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(written.closed).toBe(true);
    expect(written.bytes).toBeLessThan(32 * 1024 * 1024);
  });

  it('the default limit is 1 MiB', async () => {
    const written = { bytes: 0, closed: false };
    server = await startHttpServer(endless(written));
    transport = createFetch({ proxy: false, retry: false });
    const error = await rejection(transport(server.url));
    expect(error.code).toBe('response_too_large');
    expect(error.details.limit).toBe(1024 * 1024);
  });

  it('a Content-Length above the limit is refused before reading the body', async () => {
    server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.write('x'); // then nothing: waiting for the body would time out
    });
    transport = createFetch({
      proxy: false,
      maxResponseBytes: 1000,
      bodyTimeoutMs: 5000,
      retry: false,
    });
    const started = Date.now();
    const error = await rejection(transport(server.url));
    expect(error.code).toBe('response_too_large');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a body exactly at the limit is accepted', async () => {
    server = await startHttpServer((_req, res) => void res.end(Buffer.alloc(1000, 'b')));
    transport = createFetch({ proxy: false, maxResponseBytes: 1000 });
    expect((await (await transport(server.url)).arrayBuffer()).byteLength).toBe(1000);
  });

  it('event streams are not bound by maxResponseBytes', async () => {
    server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 50; i++) res.write(`data: ${'x'.repeat(100)}\n\n`);
      res.end();
    });
    transport = createFetch({ proxy: false, maxResponseBytes: 1000 });
    const text = await (await transport(server.url)).text();
    expect(text.length).toBe(50 * 108);
  });

  it('an event stream with one oversized event errors with response_too_large (maxEventBytes)', async () => {
    server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: small\r\n\r\n');
      setTimeout(() => res.write(`data: ${'y'.repeat(5000)}`), 50); // never ends
    });
    transport = createFetch({ proxy: false, maxEventBytes: 4096 });
    const response = await transport(server.url);
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toBe('data: small\r\n\r\n');
    const error = await rejection(
      (async () => {
        for (let i = 0; i < 100; i++) if ((await reader?.read())?.done) return;
      })(),
    );
    expect(error.code).toBe('response_too_large');
    expect(error.details.limitName).toBe('maxEventBytes');
  });

  it('many small events add up past maxEventBytes without tripping it (the count resets per event)', async () => {
    server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 100; i++) res.write(`id: ${i}\ndata: ${'z'.repeat(90)}\n\n`);
      res.end();
    });
    transport = createFetch({ proxy: false, maxEventBytes: 200 });
    const text = await (await transport(server.url)).text();
    expect(text.split('\n\n').length).toBe(101);
  });

  it('maxEventStreamBytes bounds a whole event stream', async () => {
    const written = { bytes: 0, closed: false };
    server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const pump = (): void => {
        while (!res.destroyed && written.bytes < 64 * 1024 * 1024) {
          written.bytes += 1000;
          if (!res.write(`data: ${'e'.repeat(992)}\n\n`)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    transport = createFetch({ proxy: false, maxEventStreamBytes: 100_000 });
    const response = await transport(server.url);
    const error = await rejection(response.text());
    expect(error.code).toBe('response_too_large');
    expect(error.details.limitName).toBe('maxEventStreamBytes');
  });
});
