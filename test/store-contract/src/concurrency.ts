import type { StoreRecord } from '@mcp-oauth/core';
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './harness.ts';

function writerRecord(writer: number): StoreRecord {
  // Large enough that a torn write would be visible, and every field tied to `writer`.
  return {
    v: 1,
    writer,
    tokens: { access_token: `at-${writer}-${'a'.repeat(2_000)}`, refresh_token: `rt-${writer}` },
    checks: Array.from({ length: 50 }, (_, i) => writer * 1_000 + i),
  };
}

export function registerConcurrencyTests(ctx: ContractContext): void {
  describe('concurrent writers', () => {
    it('parallel sets to distinct keys are all readable and listed', async () => {
      const ns = ctx.ns();
      const stores = [await ctx.open(ns), await ctx.open(ns)];
      const n = ctx.caps.concurrency;
      await Promise.all(
        Array.from({ length: n }, (_, i) => stores[i % 2]?.set(`distinct/${i}`, writerRecord(i))),
      );
      for (let i = 0; i < n; i++) {
        expect(await stores[(i + 1) % 2]?.get(`distinct/${i}`)).toEqual(writerRecord(i));
      }
      expect((await stores[0]?.list('distinct/'))?.length).toBe(n);
    });

    it('parallel sets to one key leave exactly one complete record among those written', async () => {
      const ns = ctx.ns();
      const stores = [await ctx.open(ns), await ctx.open(ns)];
      const n = ctx.caps.concurrency;
      const reads: Promise<StoreRecord | undefined>[] = [];
      await Promise.all(
        Array.from({ length: n }, (_, i) => {
          const store = stores[i % 2];
          if (i % 5 === 0 && store) reads.push(store.get('same'));
          return store?.set('same', writerRecord(i));
        }),
      );
      const final = await stores[0]?.get('same');
      expect(final).toBeDefined();
      const writer = (final as { writer: number }).writer;
      expect(writer).toBeGreaterThanOrEqual(0);
      expect(writer).toBeLessThan(n);
      expect(final).toEqual(writerRecord(writer));
      // Reads racing the writes see nothing or a complete record, never a torn one.
      for (const read of await Promise.all(reads)) {
        if (read !== undefined)
          expect(read).toEqual(writerRecord((read as { writer: number }).writer));
      }
      expect(await stores[1]?.list()).toEqual(['same']);
    });
  });
}
