import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import { createOAuthClient, McpOAuthError, memoryStore } from '@mcp-oauth/core';
import { createFetch, mcpRequest } from '@mcp-oauth/transport-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSdk, type Stack, startStack, textOf } from '../src/harness.ts';
import { approve } from '../src/interactions.ts';

/** An HTTP proxy (CONNECT tunnels and absolute-form requests) that records what passes through it. */
function startProxy(): Promise<{
  url: string;
  seen: string[];
  authorizations: number;
  close(): void;
}> {
  const state = { seen: [] as string[], authorizations: 0 };
  const server: Server = createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    state.seen.push(`${req.method} ${target.origin}${target.pathname}`);
    if (req.headers.authorization) state.authorizations++;
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client, head) => {
    state.seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        get seen() {
          return state.seen;
        },
        get authorizations() {
          return state.authorizations;
        },
        close: () => server.close(),
      });
    }),
  );
}

describe('the Node transport under the authorized fetch, through a proxy', () => {
  let stack: Stack;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeAll(async () => {
    stack = await startStack();
    proxy = await startProxy();
  });
  afterAll(async () => {
    proxy?.close();
    await stack?.close();
  });

  it('the official SDK client logs in and calls tools with every request going through the proxy', async () => {
    const fetch = createFetch({ proxy: proxy.url, noProxy: '' });
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      fetch,
      interaction: approve(),
    });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'add', arguments: { a: 20, b: 22 } }))).toBe('42');
    await sdk.close();
    // both servers were reached only through the proxy (undici tunnels with CONNECT)
    expect(proxy.seen).toContain(`CONNECT ${new URL(stack.mcp.url).host}`);
    expect(proxy.seen).toContain(`CONNECT ${new URL(stack.as.url).host}`);
    expect(stack.mcp.stats.requests).toBeGreaterThan(0);
  });

  it('one authenticated JSON-RPC call: typed result, refresh and one retry on 401', async () => {
    const short = await startStack({ as: { accessTokenTtlSeconds: 1 } });
    try {
      let lag = 0; // the client's clock lags: it believes an expired token is still fresh
      const oauth = createOAuthClient({
        serverUrl: short.mcp.url,
        store: memoryStore(),
        fetch: createFetch({ proxy: false }),
        interaction: approve(),
        refreshSkewMs: 0,
        now: () => Date.now() - lag,
      });
      const first = await mcpRequest<{ tools: { name: string }[] }>(oauth.fetch, short.mcp.url, {
        method: 'tools/list',
        timeoutMs: 10_000,
      });
      expect(first.tools.map((t) => t.name)).toContain('echo');
      lag = 60_000;
      await new Promise((r) => setTimeout(r, 1_200));
      const unauthorized = short.mcp.stats.unauthorized;
      const refreshes = short.as.stats.refreshSuccess;
      const result = await mcpRequest<{ content: { text: string }[] }>(oauth.fetch, short.mcp.url, {
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: 'again' } },
        timeoutMs: 10_000,
      });
      expect(result.content[0]?.text).toBe('again');
      expect(short.mcp.stats.unauthorized).toBe(unauthorized + 1); // one 401, then the replay succeeded
      expect(short.as.stats.refreshSuccess).toBe(refreshes + 1);
    } finally {
      await short.close();
    }
  });

  it('the 401 retry can be turned off: the caller gets the 401 as a typed error', async () => {
    const short = await startStack({ as: { accessTokenTtlSeconds: 1 } });
    try {
      let lag = 0;
      const oauth = createOAuthClient({
        serverUrl: short.mcp.url,
        store: memoryStore(),
        interaction: approve(),
        refreshSkewMs: 0,
        now: () => Date.now() - lag,
        replayOnUnauthorized: false,
      });
      await oauth.authorize(); // with the replay off, the first 401 does not log in either
      await mcpRequest(oauth.fetch, short.mcp.url, { method: 'tools/list', timeoutMs: 10_000 });
      lag = 60_000;
      await new Promise((r) => setTimeout(r, 1_200));
      const refreshes = short.as.stats.refreshSuccess;
      const error = await mcpRequest(oauth.fetch, short.mcp.url, {
        method: 'tools/list',
        timeoutMs: 10_000,
        retryOn401: false,
      }).catch((e: unknown) => e);
      expect(McpOAuthError.isInstance(error)).toBe(true);
      expect((error as McpOAuthError).status).toBe(401);
      expect(short.as.stats.refreshSuccess).toBe(refreshes);
    } finally {
      await short.close();
    }
  });
});
