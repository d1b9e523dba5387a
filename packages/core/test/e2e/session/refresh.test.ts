import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../../src/client/create-client.ts';
import { McpOAuthError } from '../../../src/errors/error.ts';
import type { McpOAuthEvent } from '../../../src/events/types.ts';
import { headlessInteraction } from '../../../src/interaction/headless.ts';
import { memoryStore } from '../../../src/store/memory.ts';
import type { StoreRecord, TokenStore } from '../../../src/store/types.ts';

const interaction = () => headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' });

describe('refresh rules (DESIGN.md, src/session/refresh.ts)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('rule 1: “Refresh proactively before expiry (a skew margin), not only after a 401”', async () => {
    let offset = 0;
    const events: McpOAuthEvent[] = [];
    const a = createOAuthClient({
      serverUrl: stack.mcp.url,
      interaction: interaction(),
      now: () => Date.now() + offset,
      onEvent: (e) => events.push(e),
    });
    const first = await a.getAccessToken();
    const refreshes = stack.as.stats.refreshSuccess;
    // one hour tokens, a 60 s margin: 59 min 30 s later the token is still valid, but due
    offset = 3_570_000;
    const second = await a.getAccessToken();
    expect(stack.as.stats.refreshSuccess).toBe(refreshes + 1);
    expect(second).not.toBe(first);
    expect(events.filter((e) => e.type === 'refreshed')).toHaveLength(1);
    // not due yet: the same token, no request
    expect(await a.getAccessToken()).toBe(second);
    expect(stack.as.stats.refreshSuccess).toBe(refreshes + 1);
  });

  it('rule 2: “Single-flight: concurrent callers in one process share one refresh”', async () => {
    const a = createOAuthClient({ serverUrl: stack.mcp.url, interaction: interaction() });
    await a.authorize();
    const refreshes = stack.as.stats.refreshSuccess;
    const results = await Promise.all(Array.from({ length: 8 }, () => a.refresh()));
    expect(stack.as.stats.refreshSuccess).toBe(refreshes + 1);
    expect(new Set(results.map((r) => r.expiresAt)).size).toBe(1);
  });

  it('rule 2: “whoever acquires the lock re-reads the record first, because another holder may already have refreshed”', async () => {
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

  it('rule 3: “Persist the new tokens before using them. A rotated refresh token is never lost”', async () => {
    const inner = memoryStore();
    let failWrites = 0;
    const store: TokenStore = {
      ...inner,
      set: async (k, v) => {
        if (k.startsWith('tokens:') && failWrites-- > 0) throw new Error('disk full');
        return inner.set(k, v);
      },
    };
    const a = createOAuthClient({ serverUrl: stack.mcp.url, store, interaction: interaction() });
    await a.authorize();
    const [key] = await inner.list('tokens:');
    const before = (await inner.get(key as string)) as StoreRecord;
    failWrites = 1;
    // the refresh succeeds at the server, the write fails: an error, and nothing sent yet
    const error = await a.refresh().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'store_write_failed')).toBe(true);
    expect(((await inner.get(key as string)) as StoreRecord).refreshToken).toBe(
      before.refreshToken,
    );
    // the rotated tokens were kept in memory and are saved before their first use
    const refreshes = stack.as.stats.refreshSuccess;
    const token = await a.getAccessToken();
    const saved = (await inner.get(key as string)) as StoreRecord;
    expect(saved.accessToken).toBe(token);
    expect(saved.refreshToken).not.toBe(before.refreshToken);
    expect(stack.as.stats.refreshSuccess).toBe(refreshes);
  });

  it('rule 4: “`invalid_grant`: delete the tokens only if the stored refresh token is still the one that failed; then report that a new authorization is needed”', async () => {
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

  it('rule 4: “delete the tokens only if the stored refresh token is still the one that failed”: tokens another process saved meanwhile are kept', async () => {
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

  it('rule 5: “Transient failures (network errors, 5xx, 429) are retried with backoff and honour Retry-After; tokens are kept”', async () => {
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
      retry: { minDelayMs: 10 },
      onEvent: (e) => events.push(e),
    });
    await a.authorize();
    await a.refresh();
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2);
    expect(events.some((e) => e.type === 'refreshed')).toBe(true);
  });
});
