// A challenge whose resource_metadata is the stored metadata URL written differently (upper-case
// scheme, a "." segment) names the same document: the authorization server has not moved, so a
// 401 to an expired token is answered with a refresh, not a new authorization.
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';
import { initializeRequest } from './initialize-request.ts';

const written = (url: string) =>
  url.replace('http://', 'HTTP://').replace('/.well-known/', '/./.well-known/');

describe('a resource_metadata URL written differently (src/discovery/same-metadata-url.ts)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      as: { accessTokenTtlSeconds: 60 },
      mcp: { challengeResourceMetadataUrl: written },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a 401 after expiry leads to a refresh, not a new authorization', async () => {
    expect(written(stack.mcp.resourceMetadataUrl)).not.toBe(stack.mcp.resourceMetadataUrl);
    // Both servers run in this process: moving the Date forward expires the token for the MCP
    // server, while the client's clock (`now`) is held back, so it sends the token it holds.
    let shift = 0;
    const client = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
      refreshSkewMs: 0,
      now: () => Date.now() - shift,
    });
    await client.authorize();
    expect((await client.fetch(stack.mcp.url, initializeRequest())).status).toBe(200);
    const { authorizations, refreshSuccess } = stack.as.stats;
    const unauthorized = stack.mcp.stats.unauthorized;

    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    shift = 5 * 60_000; // five minutes: the 60 s token has expired
    vi.setSystemTime(Date.now() + shift);
    const response = await client.fetch(stack.mcp.url, initializeRequest());

    expect(response.status).toBe(200);
    expect(stack.mcp.stats.unauthorized).toBe(unauthorized + 1);
    expect(stack.as.stats.refreshSuccess).toBe(refreshSuccess + 1);
    expect(stack.as.stats.authorizations).toBe(authorizations);
  });
});
