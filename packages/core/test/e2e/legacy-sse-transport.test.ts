import {
  type LegacySseServer,
  type Stack,
  startLegacySseServer,
  startStack,
} from '@mcp-oauth/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';

// The legacy HTTP+SSE transport (MCP 2024-11-05), laid out as the SDK's own examples serve it:
// GET /sse opens the stream, whose `endpoint` event sends messages to POST /messages, outside
// the resource's path (the resource is the SSE endpoint's URL).
describe('oauth.fetch with the SDK SSEClientTransport, against an SSE-only server', () => {
  let stack: Stack;
  let sse: LegacySseServer;
  beforeAll(async () => {
    stack = await startStack();
    sse = await startLegacySseServer(stack.as, { path: '/sse', messagesPath: '/messages' });
  });
  afterAll(async () => {
    await sse?.close();
    await stack?.close();
  });

  it('logs in on the stream, sends the token to the announced message endpoint, and calls a tool', async () => {
    const oauth = createOAuthClient({
      serverUrl: sse.url,
      store: memoryStore(),
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
    });
    const client = new Client({ name: 'legacy', version: '0.0.0' });
    await client.connect(new SSEClientTransport(new URL(sse.url), { fetch: oauth.fetch }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['echo']);
      const result = await client.callTool({ name: 'echo', arguments: { text: 'over sse' } });
      expect(result.content).toEqual([{ type: 'text', text: 'over sse' }]);
    } finally {
      await client.close();
    }
    expect(sse.stats.streams).toBe(1);
    expect(sse.stats.posts).toBeGreaterThanOrEqual(3); // initialize, tools/list, tools/call
    expect(sse.stats.rejected).toBe(1); // the first GET, before a token: the 401 that starts login
  });

  it('sends no token to a path the server did not announce, even on its origin', async () => {
    const seen: (string | null)[] = [];
    const oauth = createOAuthClient({
      serverUrl: sse.url,
      store: memoryStore(),
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
      fetch: async (input, init) => {
        if (String(input).includes('/elsewhere'))
          seen.push(new Headers(init?.headers).get('authorization'));
        return globalThis.fetch(input, init);
      },
    });
    await oauth.authorize();
    await oauth.fetch(new URL('/elsewhere', sse.url)).then((r) => r.body?.cancel());
    expect(seen).toEqual([null]);
  });
});
