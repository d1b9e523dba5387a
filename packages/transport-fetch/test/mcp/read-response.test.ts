import { McpOAuthError } from '@mcp-oauth/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createFetch,
  iterateMcpMessages,
  readMcpResponse,
  type TransportFetch,
} from '../../src/index.ts';
import { startHttpServer, type TestServer } from '../helpers/servers.ts';

let server: TestServer | undefined;
let transport: TransportFetch | undefined;
afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

/** Writes `chunks` with a pause between them, so they reach the client separately. */
function trickle(
  res: import('node:http').ServerResponse,
  chunks: string[],
  type = 'text/event-stream',
): void {
  res.writeHead(200, { 'content-type': `${type}; charset=utf-8` });
  let i = 0;
  const next = (): void => {
    if (i === chunks.length) return void res.end();
    res.write(chunks[i++]);
    setTimeout(next, 5);
  };
  next();
}

const progress = {
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params: { progress: 1, progressToken: 't' },
};
const result = { jsonrpc: '2.0', id: 7, result: { tools: [{ name: 'echo', description: 'é ✓' }] } };

describe('readMcpResponse', () => {
  it('parses an SSE stream split mid-event and mid-character, with comments and a priming event', async () => {
    const body = [
      ': keep-alive comment\n\n',
      'id: prime-1\ndata:\n\n', // priming event (no data): skipped
      `event: message\nid: 1\ndata: ${JSON.stringify(progress)}\n\n`,
      `id: 2\r\ndata: ${JSON.stringify(result)}\r\n\r\n`,
    ].join('');
    const bytes = Buffer.from(body, 'utf8');
    const splitAt = bytes.indexOf(Buffer.from('✓')) + 1; // inside a multi-byte character
    server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(bytes.subarray(0, 30));
      setTimeout(() => res.write(bytes.subarray(30, splitAt)), 5);
      setTimeout(() => res.end(bytes.subarray(splitAt)), 10);
    });
    transport = createFetch({ proxy: false });
    expect(await readMcpResponse(await transport(server.url))).toEqual([progress, result]);
  });

  it('parses events whose data spans several lines', async () => {
    const json = JSON.stringify(result, null, 2).split('\n');
    server = await startHttpServer((_req, res) =>
      trickle(res, [json.map((l) => `data: ${l}\n`).join(''), '\n']),
    );
    transport = createFetch({ proxy: false });
    expect(await readMcpResponse(await transport(server.url))).toEqual([result]);
  });

  it('parses application/json, single and batch', async () => {
    server = await startHttpServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/batch' ? [progress, result] : result));
    });
    transport = createFetch({ proxy: false });
    expect(await readMcpResponse(await transport(server.url))).toEqual([result]);
    expect(await readMcpResponse(await transport(`${server.url}/batch`))).toEqual([
      progress,
      result,
    ]);
  });

  it('202 Accepted yields no message', async () => {
    server = await startHttpServer((_req, res) => void res.writeHead(202).end());
    transport = createFetch({ proxy: false });
    expect(
      await readMcpResponse(await transport(server.url, { method: 'POST', body: '{}' })),
    ).toEqual([]);
  });

  it('rejects an unexpected content type and non-JSON-RPC data with invalid_response', async () => {
    server = await startHttpServer((req, res) => {
      if (req.url === '/html')
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>');
      if (req.url === '/bad-json') return trickle(res, ['data: {not json}\n\n']);
      trickle(res, ['data: {"hello":"world"}\n\n']);
    });
    transport = createFetch({ proxy: false });
    for (const path of ['/html', '/bad-json', '/not-rpc']) {
      const error = await readMcpResponse(await transport(`${server.url}${path}`)).catch(
        (e: unknown) => e,
      );
      expect(McpOAuthError.is(error, 'invalid_response')).toBe(true);
    }
  });

  it('iterateMcpMessages yields as events arrive and stopping early closes the stream', async () => {
    let closed = false;
    server = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify(progress)}\n\n`);
      res.on('close', () => {
        closed = true;
      });
      // and then the stream stays open
    });
    transport = createFetch({ proxy: false });
    for await (const message of iterateMcpMessages(await transport(server.url))) {
      expect(message).toEqual(progress);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(true);
  });
});
