import type { PruneOptions, PruneResult, TokenStore, TokensRecord } from '@mcp-oauth/core/store';
import { storeKeys } from '@mcp-oauth/core/store';
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './harness.ts';

/** What every published store adds to `TokenStore`: `prune()` and `await using`. */
type LifecycleStore = TokenStore &
  AsyncDisposable & { prune(options?: PruneOptions): Promise<PruneResult> };

function asLifecycleStore(store: TokenStore): LifecycleStore {
  const candidate = store as Partial<LifecycleStore>;
  expect(typeof candidate.prune, 'the store has prune()').toBe('function');
  expect(typeof candidate[Symbol.asyncDispose], 'the store has [Symbol.asyncDispose]()').toBe(
    'function',
  );
  return store as LifecycleStore;
}

const ISSUER = 'https://as.example.com';
const HOUR = 3_600_000;

function tokens(resource: string, fields: Partial<TokensRecord>): TokensRecord {
  return {
    v: 1,
    kind: 'tokens',
    issuer: ISSUER,
    resource,
    clientId: 'client-1',
    accessToken: `at-${resource}`,
    tokenType: 'Bearer',
    obtainedAt: Date.now() - 2 * HOUR,
    ...fields,
  };
}

export function registerLifecycleTests(ctx: ContractContext): void {
  describe('prune and await using', () => {
    it('prune() removes expired tokens without a refresh token and keeps live ones', async () => {
      const store = asLifecycleStore(await ctx.open(ctx.ns()));
      const now = Date.now();
      const expired = storeKeys.tokens(ISSUER, 'https://mcp.example.com/expired');
      const live = storeKeys.tokens(ISSUER, 'https://mcp.example.com/live');
      const refreshable = storeKeys.tokens(ISSUER, 'https://mcp.example.com/refreshable');
      const unrelated = 'app:settings';
      await store.set(expired, {
        ...tokens('https://mcp.example.com/expired', { expiresAt: now - HOUR }),
      });
      await store.set(live, {
        ...tokens('https://mcp.example.com/live', { expiresAt: now + HOUR }),
      });
      await store.set(refreshable, {
        ...tokens('https://mcp.example.com/refreshable', {
          expiresAt: now - HOUR,
          refreshToken: 'rt',
        }),
      });
      await store.set(unrelated, { v: 1, theme: 'dark' });

      const dry = await store.prune({ dryRun: true, now });
      expect(dry.tokens).toEqual([expired]);
      expect(await store.get(expired)).toBeDefined();

      const pruned = await store.prune({ now });
      expect(pruned).toEqual({
        tokens: [expired],
        registrations: [],
        dpopKeys: [],
        replacedRegistrations: [],
      });
      expect(await store.get(expired)).toBeUndefined();
      expect((await store.list()).sort()).toEqual([live, refreshable, unrelated].sort());
      // Nothing left to do: a second run deletes nothing.
      expect((await store.prune({ now })).tokens).toEqual([]);
    });

    it('await using disposes the store; what it wrote stays for the next store', async () => {
      const ns = ctx.ns();
      let disposed: LifecycleStore | undefined;
      {
        await using store = asLifecycleStore(await ctx.open(ns));
        await store.set('k', { v: 1, kept: true });
        disposed = store;
      }
      // Disposing twice (here, then the suite's close()) is harmless.
      await disposed[Symbol.asyncDispose]();
      const next = await ctx.open(ns);
      expect(await next.get('k')).toEqual({ v: 1, kept: true });
    });
  });
}
