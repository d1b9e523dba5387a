import { type Stack, startStack } from '@mcp-oauth/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { applyMiddlewares, type Middleware } from '@modelcontextprotocol/sdk/client/middleware.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';

describe('the client as a fetch middleware (oauth.middleware())', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("composes with another middleware in the official SDK's chain, in front of its StreamableHTTPClientTransport", async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
    });
    // the application's middlewares on both sides of ours (in applyMiddlewares the last is
    // outermost): one in front adds a header, one behind sees each request as it is sent
    const tag: Middleware = (next) => (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('x-app', 'tagged');
      return next(input, { ...init, headers });
    };
    const seen: { url: string; authorization: string | null; tag: string | null }[] = [];
    const record: Middleware = (next) => async (input, init) => {
      const headers = new Headers(init?.headers);
      seen.push({
        url: String(input),
        authorization: headers.get('authorization'),
        tag: headers.get('x-app'),
      });
      return next(input, init);
    };
    const fetch = applyMiddlewares(record, oauth.middleware(), tag)(globalThis.fetch);
    const sdk = new Client({ name: 'middleware-test', version: '0.0.0' });
    await sdk.connect(new StreamableHTTPClientTransport(new URL(stack.mcp.url), { fetch }));
    const result = (await sdk.callTool({
      name: 'echo',
      arguments: { text: 'through the chain' },
    })) as {
      content: { text?: string }[];
    };
    expect(result.content.map((c) => c.text).join('')).toContain('through the chain');
    await sdk.close();
    // the MCP requests reached the application's middleware with the bearer token
    const token = await oauth.getAccessToken();
    const toServer = seen.filter((s) => s.url === stack.mcp.url);
    expect(toServer.length).toBeGreaterThan(0);
    // the first went out without a token (401), was authorized and replayed; all kept the tag
    expect(toServer[0]?.authorization).toBeNull();
    expect(toServer.slice(1).every((s) => s.authorization === `Bearer ${token}`)).toBe(true);
    expect(toServer.every((s) => s.tag === 'tagged')).toBe(true);
  });

  it('requests to other URLs pass through untouched, without a token', async () => {
    const oauth = createOAuthClient({ serverUrl: stack.mcp.url });
    const seen: (string | null)[] = [];
    const fetch = oauth.middleware()(async (input, init) => {
      seen.push(new Headers(init?.headers).get('authorization'));
      return globalThis.fetch(input, init);
    });
    const response = await fetch(`${stack.as.issuer}/.well-known/oauth-authorization-server`, {
      headers: { authorization: 'Basic kept' },
    });
    expect(response.status).toBe(200);
    expect(seen).toEqual(['Basic kept']);
  });
});
