import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStore } from '../src/index.ts';
import { assertBuilt, spawnFixture } from './helpers/children.ts';
import { tempDir } from './helpers/temp-dir.ts';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  assertBuilt();
  dir = await tempDir();
});
afterAll(() => dir.remove());

const KILLS = 30;
const LANES = 3;

describe('crash safety', () => {
  it(`writers killed with SIGKILL ${KILLS} times leave only complete, decryptable records`, async () => {
    const directory = dir.path;
    const warnings: string[] = [];
    const store = fileStore({
      directory,
      namespace: 'crash',
      onWarning: (w) => warnings.push(w.message),
    });
    await store.set('tokens/https://mcp0.example.com/mcp', { v: 1, seed: true }); // key file + metadata first
    let kills = 0;
    let writer = 0;
    const lane = async () => {
      while (kills < KILLS) {
        kills++;
        const child = spawnFixture('crash-writer.mjs', [directory, String(++writer)]);
        await child.waitFor('ready');
        await new Promise((r) => setTimeout(r, Math.random() * 40));
        child.process.kill('SIGKILL');
        const exit = await child.exited;
        expect(exit.signal).toBe('SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));
    expect(kills).toBeGreaterThanOrEqual(KILLS);

    const files = await readdir(join(directory, 'namespaces', 'crash'));
    const recordFiles = files.filter((f) => f.endsWith('.rec'));
    const keys = await store.list();
    expect(warnings).toEqual([]); // no file failed to decrypt
    expect(keys.length).toBe(recordFiles.length);
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      const record = (await store.get(key)) as Record<string, unknown>;
      if (record.seed) continue;
      expect(record.key).toBe(key);
      expect((record.filler as string).length).toBe(20_000);
      expect(record.end).toBe(`end-${record.writer}-${record.seq}`);
    }
  }, 120_000);
});
