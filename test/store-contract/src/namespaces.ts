import { describe, expect, it } from 'vitest';
import type { ContractContext } from './harness.ts';

export function registerNamespaceTests(ctx: ContractContext): void {
  describe('namespaces', () => {
    it('isolates namespaces: same key, separate records, lists and deletes', async () => {
      const a = await ctx.open(ctx.ns('a'));
      const b = await ctx.open(ctx.ns('b'));
      await a.set('shared-key', { v: 1, owner: 'a' });
      expect(await b.get('shared-key')).toBeUndefined();
      expect(await b.list()).toEqual([]);
      await b.set('shared-key', { v: 1, owner: 'b' });
      await b.set('only-b', { v: 1 });
      expect(await a.get('shared-key')).toEqual({ v: 1, owner: 'a' });
      expect(await a.get('only-b')).toBeUndefined();
      expect(await a.list()).toEqual(['shared-key']);
      expect(await a.delete('only-b')).toBe(false);
      expect(await b.delete('shared-key')).toBe(true);
      expect(await a.get('shared-key')).toEqual({ v: 1, owner: 'a' });
    });

    it('shares records between two stores opened on the same namespace', async () => {
      const ns = ctx.ns();
      const first = await ctx.open(ns);
      const second = await ctx.open(ns);
      await first.set('k', { v: 1, from: 'first' });
      expect(await second.get('k')).toEqual({ v: 1, from: 'first' });
      await second.set('k', { v: 1, from: 'second' });
      expect(await first.get('k')).toEqual({ v: 1, from: 'second' });
      expect(await first.list()).toEqual(['k']);
      expect(await second.delete('k')).toBe(true);
      expect(await first.get('k')).toBeUndefined();
    });

    it('does not share locks with other namespaces', async () => {
      const a = await ctx.open(ctx.ns('a'));
      const b = await ctx.open(ctx.ns('b'));
      const held = await a.lock('same-key', { ttlMs: 30_000 });
      const other = await b.lock('same-key', { timeoutMs: ctx.caps.timingSlackMs });
      await other.release();
      await held.release();
    });
  });
}
