import { createOAuthClient, type McpOAuthEvent, memoryStore } from '@mcp-oauth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSdk, type Stack, startStack, textOf } from '../src/harness.ts';
import { approve } from '../src/interactions.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('refresh with rotation', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ as: { accessTokenTtlSeconds: 2, refreshTokenRotation: true } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('32 concurrent calls across an expiry make exactly one refresh and all succeed', async () => {
    const events: McpOAuthEvent[] = [];
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: approve(),
      refreshSkewMs: 0,
      onEvent: (e) => events.push(e),
    });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    const before = await oauth.status();
    await sleep(2_200); // the access token has expired at the server
    const refreshesBefore = stack.as.stats.refreshSuccess;
    const results = await Promise.allSettled(
      Array.from({ length: 32 }, (_, i) =>
        sdk.callTool({ name: 'echo', arguments: { text: `n${i}` } }),
      ),
    );
    const ok = results
      .filter((r) => r.status === 'fulfilled')
      .map((r) => textOf((r as PromiseFulfilledResult<unknown>).value));
    expect(ok).toHaveLength(32);
    expect(new Set(ok).size).toBe(32);
    expect(stack.as.stats.refreshSuccess - refreshesBefore).toBe(1);
    expect(stack.as.stats.invalidGrant).toBe(0);
    expect(events.filter((e) => e.type === 'refreshed')).toHaveLength(1);
    const after = await oauth.status();
    expect(after?.obtainedAt).toBeGreaterThan(before?.obtainedAt ?? 0);
    await sdk.close();
  });

  it('refreshes after a 401 from the server, rotating and keeping the new refresh token', async () => {
    const store = memoryStore();
    // a skew larger than the lifetime would refresh proactively; a clock in the past makes the client
    // believe the token is fresh, so the server's 401 is what triggers the refresh
    let offset = 0;
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: approve(),
      refreshSkewMs: 0,
      now: () => Date.now() - offset,
    });
    await oauth.authorize();
    const first = await oauth.status();
    offset = 10_000;
    await sleep(2_200);
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'add', arguments: { a: 2, b: 3 } }))).toBe('5');
    const second = await oauth.status();
    expect(second?.obtainedAt).not.toBe(first?.obtainedAt);
    // the rotated refresh token was saved: a forced refresh works (a stale one would be invalid_grant)
    await oauth.refresh();
    await oauth.refresh();
    expect(stack.as.stats.invalidGrant).toBe(0);
    await sdk.close();
  });

  it('proactively refreshes before expiry without any 401', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: approve(),
      refreshSkewMs: 60_000,
    });
    await oauth.authorize();
    const unauthorizedBefore = stack.mcp.stats.unauthorized;
    await sleep(1_100); // past half of the 2 s lifetime: refresh is due
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    await sdk.callTool({ name: 'echo', arguments: { text: 'x' } });
    expect(stack.mcp.stats.unauthorized).toBe(unauthorizedBefore);
    await sdk.close();
  });
});
