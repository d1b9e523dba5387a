import type { StoreRecord } from '@mcp-oauth/core';
import { describe, expect, it } from 'vitest';
import { expectCode, settle } from './assertions.ts';
import type { ContractContext } from './harness.ts';

/** A record that exercises every JSON shape core may produce. */
export function nestedRecord(marker = 'x'): StoreRecord {
  return {
    v: 1,
    marker,
    tokens: {
      access_token: `at-${marker}-\u00e9\u{1F511}`,
      refresh_token: `rt-${marker}`,
      expires_at: 1_893_456_000_000,
      scope: ['mcp:tools', 'read write'],
    },
    client: { client_id: 'abc', registered: true, secret: null, ratio: -0.125 },
    history: [[1, 2, [3, { deep: { deeper: { deepest: 'yes' } } }]], {}, []],
    empty: '',
    quotes: 'a "quoted" \\ back\nslash\u0000nul',
  };
}

export const TRICKY_KEYS: readonly string[] = [
  'plain',
  'unicode/ключ/\u{1F511}/\u00e9\u0301',
  'a/b/c/d',
  '/leading/slash/',
  'https://mcp.example.com/mcp?tenant=a&x=%2F#frag',
  'oauth:https://auth.example.com|https://mcp.example.com/mcp',
  '../../../etc/passwd',
  '.',
  '..',
  'with space and\ttab',
  'CaseSensitive',
  'casesensitive',
  'k'.repeat(1024),
  `${'\u{1F511}'.repeat(511)}x`,
];

export function registerRecordTests(ctx: ContractContext): void {
  describe('records', () => {
    it('round-trips a nested JSON record', async () => {
      const store = await ctx.open(ctx.ns());
      const record = nestedRecord();
      await store.set('rec', record);
      expect(await store.get('rec')).toEqual(nestedRecord());
    });

    it('keeps a deep copy: mutating the input or the result never changes what is stored', async () => {
      const store = await ctx.open(ctx.ns());
      const record = nestedRecord();
      await store.set('rec', record);
      (record.tokens as { access_token: string }).access_token = 'mutated-input';
      (record.history as unknown[]).push('mutated');
      const first = await store.get('rec');
      expect(first).toEqual(nestedRecord());
      (first?.tokens as { refresh_token: string }).refresh_token = 'mutated-output';
      const second = await store.get('rec');
      expect(second).toEqual(nestedRecord());
      expect(second).not.toBe(first);
    });

    it('returns undefined for a key never written', async () => {
      const store = await ctx.open(ctx.ns());
      expect(await store.get('never-written')).toBeUndefined();
    });

    it('overwrites: the last set wins and the key is listed once', async () => {
      const store = await ctx.open(ctx.ns());
      await store.set('k', nestedRecord('first'));
      await store.set('k', { v: 2, only: 'second' });
      expect(await store.get('k')).toEqual({ v: 2, only: 'second' });
      expect(await store.list()).toEqual(['k']);
    });

    it('delete returns true for an existing record, false afterwards, and leaves others', async () => {
      const store = await ctx.open(ctx.ns());
      await store.set('gone', nestedRecord('gone'));
      await store.set('kept', nestedRecord('kept'));
      expect(await store.delete('gone')).toBe(true);
      expect(await store.get('gone')).toBeUndefined();
      expect(await store.delete('gone')).toBe(false);
      expect(await store.delete('never-written')).toBe(false);
      expect(await store.get('kept')).toEqual(nestedRecord('kept'));
      expect(await store.list()).toEqual(['kept']);
    });

    it('lists every key, or those starting with a prefix', async () => {
      const store = await ctx.open(ctx.ns());
      expect(await store.list()).toEqual([]);
      const keys = [
        'tokens/https://a.example/mcp',
        'tokens/https://b.example/mcp',
        'clients/x',
        'tok',
      ];
      for (const key of keys) await store.set(key, { v: 1, key });
      expect((await store.list()).sort()).toEqual([...keys].sort());
      expect((await store.list('tokens/')).sort()).toEqual(keys.slice(0, 2).sort());
      expect((await store.list('tok')).sort()).toEqual(['tok', ...keys.slice(0, 2)].sort());
      expect(await store.list('nothing-matches/')).toEqual([]);
      expect((await store.list('')).sort()).toEqual([...keys].sort());
    });

    it('reports a non-empty description and specificationVersion v1', async () => {
      const store = await ctx.open(ctx.ns());
      expect(store.specificationVersion).toBe('v1');
      expect(typeof store.description).toBe('string');
      expect(store.description.length).toBeGreaterThan(0);
    });
  });

  describe('keys', () => {
    it('stores and lists keys with unicode, slashes, URLs, dots and 1024 characters', async () => {
      const store = await ctx.open(ctx.ns());
      for (const [i, key] of TRICKY_KEYS.entries()) await store.set(key, { v: 1, i });
      for (const [i, key] of TRICKY_KEYS.entries())
        expect(await store.get(key)).toEqual({ v: 1, i });
      expect((await store.list()).sort()).toEqual([...TRICKY_KEYS].sort());
      expect((await store.list('unicode/ключ/')).sort()).toEqual([TRICKY_KEYS[1]]);
      for (const key of TRICKY_KEYS) expect(await store.delete(key)).toBe(true);
      expect(await store.list()).toEqual([]);
    });

    it('rejects invalid keys with invalid_configuration on every operation', async () => {
      const store = await ctx.open(ctx.ns());
      const invalid: unknown[] = ['', 'k'.repeat(1025), 42, undefined, null];
      for (const key of invalid) {
        const k = key as string;
        await expectCode(
          settle(() => store.get(k)),
          'invalid_configuration',
        );
        await expectCode(
          settle(() => store.set(k, { v: 1 })),
          'invalid_configuration',
        );
        await expectCode(
          settle(() => store.delete(k)),
          'invalid_configuration',
        );
        await expectCode(
          settle(() => store.lock(k, { timeoutMs: 100 })),
          'invalid_configuration',
        );
      }
      expect(await store.list()).toEqual([]);
    });
  });
}
