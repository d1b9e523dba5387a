import { McpOAuthError } from '@mcp-oauth/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetch, mcpRequest, type TransportFetch } from '../../src/index.ts';
import { startHttpServer, type TestServer } from '../helpers/servers.ts';

let server: TestServer | undefined;
let transport: TransportFetch | undefined;
afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

interface Seen {
  headers: import('node:http').IncomingHttpHeaders;
  body: { jsonrpc: string; id: string | number; method: string; params?: unknown };
}

/** A small MCP-like server: `respond` builds the answer from the parsed JSON-RPC request. */
async function mcpServer(
  respond: (seen: Seen, res: import('node:http').ServerResponse, attempt: number) => void,
  log: Seen[] = [],
): Promise<TestServer> {
  return startHttpServer((req, res, attempt) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on('end', () => {
      const seen = { headers: req.headers, body: JSON.parse(raw) as Seen['body'] };
      log.push(seen);
      respond(seen, res, attempt);
    });
  });
}

function sse(res: import('node:http').ServerResponse, ...messages: unknown[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const m of messages) res.write(`event: message\ndata: ${JSON.stringify(m)}\n\n`);
  res.end();
}

describe('mcpRequest', () => {
  it('sends a JSON-RPC POST with the MCP headers and returns the result from SSE', async () => {
    const log: Seen[] = [];
    server = await mcpServer(
      ({ body }, res) =>
        sse(
          res,
          {
            jsonrpc: '2.0',
            method: 'notifications/message',
            params: { level: 'info', data: 'working' },
          },
          { jsonrpc: '2.0', id: 'other', result: { wrong: true } },
          { jsonrpc: '2.0', id: body.id, result: { content: [{ type: 'text', text: 'hi' }] } },
        ),
      log,
    );
    transport = createFetch({ proxy: false });
    const notes: unknown[] = [];
    const result = await mcpRequest<{ content: { text: string }[] }>(
      transport,
      `${server.url}/mcp`,
      {
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: 'hi' } },
        protocolVersion: '2025-11-25',
        headers: { 'mcp-session-id': 'sess-1' },
        onMessage: (m) => notes.push(m),
      },
    );
    expect(result.content[0]?.text).toBe('hi');
    expect(notes).toHaveLength(2);
    const [seen] = log;
    expect(seen?.headers.accept).toBe('application/json, text/event-stream');
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.headers['mcp-protocol-version']).toBe('2025-11-25');
    expect(seen?.headers['mcp-session-id']).toBe('sess-1');
    expect(seen?.body).toMatchObject({
      jsonrpc: '2.0',
      method: 'tools/call',
      params: { name: 'echo' },
    });
  });

  it('returns the result from an application/json answer, with a given id', async () => {
    server = await mcpServer(({ body }, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { tools: [] } }));
    });
    transport = createFetch({ proxy: false });
    expect(await mcpRequest(transport, server.url, { method: 'tools/list', id: 42 })).toEqual({
      tools: [],
    });
  });

  it('throws jsonrpc_error with the server code and message', async () => {
    server = await mcpServer(({ body }, res) =>
      sse(res, {
        jsonrpc: '2.0',
        id: body.id,
        error: { code: -32602, message: 'Unknown tool: nope', data: { x: 1 } },
      }),
    );
    transport = createFetch({ proxy: false });
    const error = await mcpRequest(transport, server.url, {
      method: 'tools/call',
      params: { name: 'nope' },
    }).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'jsonrpc_error')).toBe(true);
    const e = error as McpOAuthError;
    expect(e.details).toMatchObject({
      jsonRpcCode: -32602,
      jsonRpcMessage: 'Unknown tool: nope',
      method: 'tools/call',
    });
    expect(e.cause).toEqual({ code: -32602, message: 'Unknown tool: nope', data: { x: 1 } });
  });

  it('a 400 with a JSON-RPC error body (id null) throws jsonrpc_error', async () => {
    server = await mcpServer((_seen, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          jsonrpc: '2.0',
          id: null,
          error: { code: -32000, message: 'Bad Request: no session' },
        }),
      );
    });
    transport = createFetch({ proxy: false });
    const error = await mcpRequest(transport, server.url, { method: 'tools/list' }).catch(
      (e: unknown) => e,
    );
    expect(McpOAuthError.is(error, 'jsonrpc_error')).toBe(true);
    expect((error as McpOAuthError).status).toBe(400);
  });

  it('a 500 without JSON throws http_error', async () => {
    server = await mcpServer(
      (_seen, res) => void res.writeHead(500, { 'content-type': 'text/plain' }).end('boom'),
    );
    transport = createFetch({ proxy: false });
    const error = await mcpRequest(transport, server.url, { method: 'tools/list' }).catch(
      (e: unknown) => e,
    );
    expect(McpOAuthError.is(error, 'http_error')).toBe(true);
    expect((error as McpOAuthError).status).toBe(500);
  });

  it('on 401 calls onUnauthorized and sends once more (with fresh headers from a wrapping fetch)', async () => {
    let token = 'old';
    const log: Seen[] = [];
    server = await mcpServer(({ headers, body }, res) => {
      if (headers.authorization !== 'Bearer new')
        return void res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      sse(res, { jsonrpc: '2.0', id: body.id, result: { ok: true } });
    }, log);
    transport = createFetch({ proxy: false });
    const inner = transport;
    const authorized: typeof fetch = (input, init) =>
      inner(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${token}` },
      });
    let calls = 0;
    const result = await mcpRequest(authorized, server.url, {
      method: 'ping',
      onUnauthorized: () => {
        calls++;
        token = 'new';
      },
    });
    expect(result).toEqual({ ok: true });
    expect(calls).toBe(1);
    expect(log).toHaveLength(2);
    expect(log[0]?.body.id).toBe(log[1]?.body.id);
  });

  it('a second 401, or retryOn401: false, throws http_error 401 without leaking the token', async () => {
    server = await mcpServer((_seen, res) => void res.writeHead(401).end());
    transport = createFetch({ proxy: false });
    const headers = { authorization: 'Bearer s3cret' };
    const twice = await mcpRequest(transport, server.url, { method: 'ping', headers }).catch(
      (e: unknown) => e,
    );
    expect(McpOAuthError.is(twice, 'http_error')).toBe(true);
    expect((twice as McpOAuthError).status).toBe(401);
    expect(
      JSON.stringify({ ...(twice as McpOAuthError), message: (twice as Error).message }),
    ).not.toContain('s3cret');
    expect(server.requests()).toBe(2);
    const once = await mcpRequest(transport, server.url, {
      method: 'ping',
      headers,
      retryOn401: false,
    }).catch((e: unknown) => e);
    expect((once as McpOAuthError).status).toBe(401);
    expect(server.requests()).toBe(3);
  });

  it('timeoutMs bounds the whole call, SSE wait included: timeout (phase total)', async () => {
    server = await mcpServer((_seen, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': still working\n\n'); // and never answers
    });
    transport = createFetch({ proxy: false });
    const started = Date.now();
    const error = await mcpRequest(transport, server.url, {
      method: 'tools/call',
      timeoutMs: 200,
    }).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'timeout')).toBe(true);
    expect((error as McpOAuthError).details.phase).toBe('total');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("the caller's abort rejects with the caller's reason", async () => {
    server = await mcpServer(() => {});
    transport = createFetch({ proxy: false });
    const reason = new Error('user cancelled');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    const error = await mcpRequest(transport, server.url, {
      method: 'tools/call',
      timeoutMs: 5000,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toBe(reason);
  });

  it('a stream that ends without the answer throws invalid_response', async () => {
    server = await mcpServer((_seen, res) =>
      sse(res, { jsonrpc: '2.0', method: 'notifications/x' }),
    );
    transport = createFetch({ proxy: false });
    const error = await mcpRequest(transport, server.url, { method: 'tools/list' }).catch(
      (e: unknown) => e,
    );
    expect(McpOAuthError.is(error, 'invalid_response')).toBe(true);
  });

  it('works with the global fetch too', async () => {
    server = await mcpServer(({ body }, res) =>
      sse(res, { jsonrpc: '2.0', id: body.id, result: 'pong' }),
    );
    expect(await mcpRequest(globalThis.fetch, server.url, { method: 'ping' })).toBe('pong');
  });
});
