import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { StoreLockMessage } from '@mcp-oauth/core/store';
import { describe, expect, it } from 'vitest';
import { expectCode, settlesWithin, sleep } from './assertions.ts';
import type { ContractContext } from './harness.ts';

export function registerLockTests(ctx: ContractContext): void {
  const slack = () => ctx.caps.timingSlackMs;
  const itWhenPublishing: typeof it = ctx.caps.lockChannel
    ? it
    : ((() => undefined) as unknown as typeof it);

  describe('lock', () => {
    it('returns a handle naming the key and its expiry', async () => {
      const store = await ctx.open(ctx.ns());
      const before = Date.now();
      const lock = await store.lock('tokens/https://mcp.example.com/mcp', { ttlMs: 10_000 });
      expect(lock.key).toBe('tokens/https://mcp.example.com/mcp');
      expect(lock.expiresAt).toBeGreaterThanOrEqual(before + 10_000 - slack());
      expect(lock.expiresAt).toBeLessThanOrEqual(Date.now() + 10_000 + slack());
      await lock.release();
      await lock.release(); // releasing twice is harmless
    });

    it('is exclusive: a second acquirer waits until the first releases', async () => {
      const ns = ctx.ns();
      const first = await ctx.open(ns);
      const second = await ctx.open(ns);
      const held = await first.lock('k', { ttlMs: 30_000 });
      let acquired = false;
      const waiting = second.lock('k', { ttlMs: 30_000, timeoutMs: 30_000 }).then((lock) => {
        acquired = true;
        return lock;
      });
      expect(await settlesWithin(waiting, 250)).toBe(false);
      expect(acquired).toBe(false);
      await held.release();
      expect(await settlesWithin(waiting, slack() + 1_000)).toBe(true);
      expect(acquired).toBe(true);
      await (await waiting).release();
    });

    it('is free again right after release', async () => {
      const store = await ctx.open(ctx.ns());
      const one = await store.lock('k');
      await one.release();
      const two = await store.lock('k', { timeoutMs: slack() });
      await two.release();
    });

    it('serializes read-modify-write across stores of one namespace', async () => {
      const ns = ctx.ns();
      const stores = [await ctx.open(ns), await ctx.open(ns)];
      await stores[0]?.set('counter', { v: 1, n: 0 });
      const workers = 8;
      await Promise.all(
        Array.from({ length: workers }, async (_, i) => {
          const store = stores[i % 2];
          if (!store) return;
          const lock = await store.lock('counter', { ttlMs: 30_000, timeoutMs: 30_000 });
          try {
            const current = (await store.get('counter')) as { n: number };
            await sleep(5);
            await store.set('counter', { v: 1, n: current.n + 1 });
          } finally {
            await lock.release();
          }
        }),
      );
      expect(await stores[1]?.get('counter')).toEqual({ v: 1, n: workers });
    });

    it('times out with store_lock_timeout when the lock stays held', async () => {
      const ns = ctx.ns();
      const first = await ctx.open(ns);
      const second = await ctx.open(ns);
      const held = await first.lock('k', { ttlMs: 30_000 });
      const started = Date.now();
      const error = await expectCode(second.lock('k', { timeoutMs: 200 }), 'store_lock_timeout');
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(150);
      expect(waited).toBeLessThan(200 + slack() + 1_000);
      expect(error.message).not.toHaveLength(0);
      await held.release();
    });

    // Registered only for stores that publish (not skipped: memoryStore has no such test).
    itWhenPublishing(
      'publishes each acquisition on the diagnostics channel mcp-oauth:lock: the wait and its outcome',
      async () => {
        const ns = ctx.ns();
        const first = await ctx.open(ns);
        const second = await ctx.open(ns);
        const published: StoreLockMessage[] = [];
        const listener = (message: unknown) => published.push(message as StoreLockMessage);
        subscribe('mcp-oauth:lock', listener);
        try {
          const held = await first.lock(
            'tokens:https://as.example.com https://mcp.example.com/mcp',
          );
          await expectCode(
            second.lock('tokens:https://as.example.com https://mcp.example.com/mcp', {
              timeoutMs: 200,
            }),
            'store_lock_timeout',
          );
          await held.release();
        } finally {
          unsubscribe('mcp-oauth:lock', listener);
        }
        const key = 'tokens:https://as.example.com https://mcp.example.com/mcp';
        expect(published).toEqual([
          { store: expect.any(String), key, outcome: 'acquired', waitedMs: expect.any(Number) },
          {
            store: published[0]?.store,
            key,
            outcome: 'timeout',
            waitedMs: expect.any(Number),
            code: 'store_lock_timeout',
          },
        ]);
        expect(['file', 'redis', 'keychain', 'vault']).toContain(published[0]?.store);
        expect(published[1]?.waitedMs).toBeGreaterThanOrEqual(150);
      },
    );

    it('stops waiting when the signal aborts, without taking the lock', async () => {
      const store = await ctx.open(ctx.ns());
      const held = await store.lock('k', { ttlMs: 30_000 });
      const controller = new AbortController();
      const waiting = store.lock('k', { timeoutMs: 30_000, signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      let rejected = false;
      await waiting.catch(() => {
        rejected = true;
      });
      expect(rejected).toBe(true);
      await held.release();
      const again = await store.lock('k', { timeoutMs: slack() });
      await again.release();
    });

    it('stops waiting when the signal aborts before the wait begins (during the first check)', async () => {
      const store = await ctx.open(ctx.ns());
      const held = await store.lock('k', { ttlMs: 30_000 });
      const controller = new AbortController();
      const started = Date.now();
      const waiting = store.lock('k', { timeoutMs: 20_000, signal: controller.signal });
      controller.abort(); // fires while the store is still looking at the held lock
      const error = await waiting.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBe(controller.signal.reason);
      expect(Date.now() - started).toBeLessThan(5_000);
      await held.release();
    });

    it('is independent from the record stored under the same key', async () => {
      const ns = ctx.ns();
      const store = await ctx.open(ns);
      const other = await ctx.open(ns);
      const lock = await store.lock('k', { ttlMs: 30_000 });
      expect(await store.get('k')).toBeUndefined();
      expect(await store.list()).toEqual([]);
      await other.set('k', { v: 1, written: 'while locked' });
      expect(await store.get('k')).toEqual({ v: 1, written: 'while locked' });
      expect(await other.delete('k')).toBe(true);
      // deleting the record did not free the lock
      await expectCode(other.lock('k', { timeoutMs: 100 }), 'store_lock_timeout');
      await store.set('k', { v: 1, written: 'again' });
      await lock.release();
      expect(await other.get('k')).toEqual({ v: 1, written: 'again' });
      expect(await other.list()).toEqual(['k']);
    });
  });

  describe.skipIf(!ctx.caps.lockExpiry)('lock expiry', () => {
    it('lets a second acquirer in after ttlMs when the holder never releases', async () => {
      const ns = ctx.ns();
      const first = await ctx.open(ns);
      const second = await ctx.open(ns);
      const ttl = ctx.caps.shortLockTtlMs;
      const started = Date.now();
      const stale = await first.lock('k', { ttlMs: ttl });
      const next = await second.lock('k', { ttlMs: 30_000, timeoutMs: ttl + slack() + 2_000 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(ttl - 50);
      await next.release();
      await stale.release();
    });

    it("an expired holder's release does not free the new holder's lock", async () => {
      const ns = ctx.ns();
      const first = await ctx.open(ns);
      const second = await ctx.open(ns);
      const third = await ctx.open(ns);
      const ttl = ctx.caps.shortLockTtlMs;
      const stale = await first.lock('k', { ttlMs: ttl });
      const current = await second.lock('k', { ttlMs: 30_000, timeoutMs: ttl + slack() + 2_000 });
      await stale.release(); // must not throw, must not free `current`
      await expectCode(third.lock('k', { timeoutMs: 200 }), 'store_lock_timeout');
      await current.release();
      const last = await third.lock('k', { timeoutMs: slack() });
      await last.release();
    });
  });
}
