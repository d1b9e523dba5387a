import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import type { McpOAuthEvent } from '../../src/events/types.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';
import type { StoreRecord, TokenStore } from '../../src/store/types.ts';

const interaction = () => headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' });

describe('refresh rules (DESIGN.md)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('whoever takes the lock re-reads first: tokens refreshed by another holder are used, not refreshed again', async () => {
    const store = memoryStore();
    const events: McpOAuthEvent[] = [];
    const a = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: interaction(),
      onEvent: (e) => events.push(e),
    });
    const b = createOAuthClient({ serverUrl: stack.mcp.url, store, interaction: interaction() });
    await a.authorize();
    await a.getAccessToken(); // a now holds the tokens in memory
    await b.refresh(); // "another process" rotates them
    const refreshes = stack.as.stats.refreshSuccess;
    const tokenB = await b.getAccessToken();
    await a.refresh(); // a's stale view: after locking it sees b's fresh tokens
    expect(stack.as.stats.refreshSuccess).toBe(refreshes);
    expect(await a.getAccessToken()).toBe(tokenB);
    expect(events.some((e) => e.type === 'refresh_skipped')).toBe(true);
  });

  it('invalid_grant deletes the tokens when the stored refresh token is the one that failed', async () => {
    const store = memoryStore();
    const events: McpOAuthEvent[] = [];
    const a = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: interaction(),
      onEvent: (e) => events.push(e),
    });
    await a.authorize();
    const [key] = await store.list('tokens:');
    const record = (await store.get(key as string)) as StoreRecord;
    await stack.as.provider.RefreshToken.find(String(record.refreshToken)).then((t) =>
      t?.destroy(),
    );
    const error = await a.refresh().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'reauthorization_required')).toBe(true);
    expect((error as McpOAuthError).oauthError).toBe('invalid_grant');
    expect(await store.get(key as string)).toBeUndefined();
    expect(events.some((e) => e.type === 'tokens_deleted' && e.reason === 'invalid_grant')).toBe(
      true,
    );
  });

  it('invalid_grant keeps tokens another process saved meanwhile (compare before delete)', async () => {
    const inner = memoryStore();
    const a = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: inner,
      interaction: interaction(),
    });
    await a.authorize();
    const [key] = await inner.list('tokens:');
    const record = (await inner.get(key as string)) as StoreRecord;
    await stack.as.provider.RefreshToken.find(String(record.refreshToken)).then((t) =>
      t?.destroy(),
    );
    // while the failing refresh is in flight, another process saves newer tokens
    let reads = 0;
    const racing: TokenStore = {
      ...inner,
      get: async (k) => {
        const value = await inner.get(k);
        if (k === key && ++reads === 2) {
          const newer = {
            ...(value as StoreRecord),
            refreshToken: 'saved-by-another-process',
            accessToken: 'newer',
          };
          await inner.set(k, newer);
          return newer;
        }
        return value;
      },
    };
    const b = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: racing,
      interaction: interaction(),
    });
    await b.getAccessToken().catch(() => undefined);
    reads = 0;
    const error = await b.refresh().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'reauthorization_required')).toBe(true);
    const kept = (await inner.get(key as string)) as StoreRecord;
    expect(kept.refreshToken).toBe('saved-by-another-process');
  });

  it('transient token endpoint failures are retried with backoff, keeping the tokens', async () => {
    const store = memoryStore();
    let failures = 2;
    const flaky = async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      const body =
        init?.body instanceof URLSearchParams ? init.body.toString() : String(init?.body ?? '');
      if (url.endsWith('/token') && body.includes('grant_type=refresh_token') && failures-- > 0) {
        return new Response('busy', { status: 503, headers: { 'retry-after': '0' } });
      }
      return fetch(input, init);
    };
    const events: McpOAuthEvent[] = [];
    const a = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      fetch: flaky,
      interaction: interaction(),
      retry: { baseDelayMs: 10 },
      onEvent: (e) => events.push(e),
    });
    await a.authorize();
    await a.refresh();
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2);
    expect(events.some((e) => e.type === 'refreshed')).toBe(true);
  });
});
