import { createOAuthClient, dpop, type McpOAuthEvent, memoryStore } from '@mcp-oauth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSdk, type Stack, startStack, textOf } from '../src/harness.ts';
import { approve } from '../src/interactions.ts';

describe('DPoP (RFC 9449) against oidc-provider with DPoP enabled', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ as: { dpop: true, accessTokenTtlSeconds: 60 } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('binds tokens to a key, proves possession on every MCP request, refreshes with a proof', async () => {
    const store = memoryStore();
    const events: McpOAuthEvent[] = [];
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: approve(),
      dpop: dpop(),
      onEvent: (e) => events.push(e),
    });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'bound' } }))).toBe(
      'bound',
    );
    expect((await oauth.status())?.tokenType).toBe('dpop');
    const proofs = stack.mcp.stats.dpopRequests;
    expect(proofs).toBeGreaterThanOrEqual(2);
    await oauth.refresh();
    expect(textOf(await sdk.callTool({ name: 'add', arguments: { a: 1, b: 1 } }))).toBe('2');
    expect(stack.mcp.stats.dpopRequests).toBeGreaterThan(proofs);
    expect(stack.mcp.stats.dpopRejected).toBe(0);
    await sdk.close();
  });

  it('a stolen DPoP-bound token is useless as a bearer token', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: approve(),
      dpop: dpop(),
    });
    const token = await oauth.getAccessToken();
    const response = await fetch(stack.mcp.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^DPoP/);
  });

  it('the key pair is kept in the store: another process with the same store proves possession, no new login', async () => {
    const store = memoryStore();
    const first = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: approve(),
      dpop: dpop(),
    });
    await first.authorize();
    expect(await store.list('dpop:')).toHaveLength(1);
    const authorizations = stack.as.stats.authorizations;
    const second = createOAuthClient({ serverUrl: stack.mcp.url, store, dpop: dpop() }); // no interaction: a login would fail
    const sdk = await connectSdk(stack.mcp.url, second.fetch);
    expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'same key' } }))).toBe(
      'same key',
    );
    await second.refresh(); // the refresh token is bound to the same key too
    expect(stack.as.stats.authorizations).toBe(authorizations);
    await sdk.close();
  });

  it('without dpop() the client stays on bearer tokens, and the DPoP code is not even loaded', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: approve(),
    });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'plain' } }))).toBe(
      'plain',
    );
    expect((await oauth.status())?.tokenType).toBe('bearer');
    await sdk.close();
  });
});
