import { createOAuthClient, type McpOAuthEvent, memoryStore } from '@mcp-oauth/core';
import { headlessInteraction } from '@mcp-oauth/core/flow';
import { completeAuthorization } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSdk, recordingFetch, type Stack, startStack, textOf } from '../src/harness.ts';

describe('first login and reuse, through the official SDK client', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('logs in inside the first call: no error surfaced, 7 HTTP requests for connect including the login', async () => {
    const store = memoryStore();
    const { fetch, log } = recordingFetch();
    const events: McpOAuthEvent[] = [];
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      fetch,
      interaction: {
        kind: 'redirect',
        prepare: async () => ({ redirectUri: 'http://127.0.0.1:1/callback' }),
        authorize: async ({ authorizationUrl }) => completeAuthorization(authorizationUrl),
      },
      onEvent: (e) => events.push(e),
    });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    // the SDK may already have opened its optional GET event stream (the stateless server answers 405)
    const initializeRequests = log.filter(
      (l) => !l.startsWith('GET ') || l.includes('/.well-known/'),
    );
    // initialize → 401, resource metadata, AS metadata, registration, token, initialize again,
    // then the SDK's notifications/initialized. The official SDK needs 16 and a reconnect.
    expect(initializeRequests).toEqual([
      `POST ${stack.mcp.url}`,
      `GET ${stack.mcp.resourceMetadataUrl}`,
      `GET ${stack.as.url}/.well-known/oauth-authorization-server`,
      `POST ${stack.as.url}/reg`,
      `POST ${stack.as.url}/token`,
      `POST ${stack.mcp.url}`,
      `POST ${stack.mcp.url}`,
    ]);
    const result = await sdk.callTool({ name: 'echo', arguments: { text: 'hello' } });
    expect(textOf(result)).toBe('hello');
    expect(stack.as.stats.registrations).toBe(1);
    expect(events.map((e) => e.type)).toEqual([
      'discovery',
      'registered',
      'authorization_started',
      'authorized',
    ]);
    const status = await oauth.status();
    expect(status?.resource).toBe(stack.mcp.resource);
    expect(status?.hasRefreshToken).toBe(true);
    await sdk.close();

    // a second run with the same store: zero discovery, zero registration, zero token requests
    const second = recordingFetch();
    const again = createOAuthClient({ serverUrl: stack.mcp.url, store, fetch: second.fetch });
    const sdk2 = await connectSdk(stack.mcp.url, again.fetch);
    const r2 = await sdk2.callTool({ name: 'whoami', arguments: {} });
    expect(textOf(r2)).toContain('user-1');
    expect(second.log.every((l) => l.endsWith(new URL(stack.mcp.url).pathname))).toBe(true);
    expect(
      second.log.some(
        (l) => l.includes('.well-known') || l.includes('/token') || l.includes('/reg'),
      ),
    ).toBe(false);
    await sdk2.close();
  });

  it('never sends the token to another server', async () => {
    const store = memoryStore();
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:1/callback' }),
    });
    await oauth.authorize();
    const seen: (string | null)[] = [];
    const other = await import('node:http').then(
      ({ createServer }) =>
        new Promise<import('node:http').Server>((resolve) => {
          const s = createServer((req, res) => {
            seen.push(req.headers.authorization ?? null);
            res.end('ok');
          });
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    );
    const port = (other.address() as { port: number }).port;
    const response = await oauth.fetch(`http://127.0.0.1:${port}/mcp`);
    expect(await response.text()).toBe('ok');
    expect(seen).toEqual([null]);
    other.close();
  });
});
