import { execFileSync } from 'node:child_process';
import { rename, stat } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStore } from '../src/index.ts';
import { recordFiles } from './helpers/files.ts';
import { tempDir } from './helpers/temp-dir.ts';

const dirs: Awaited<ReturnType<typeof tempDir>>[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await d.remove();
});
async function newDir() {
  const d = await tempDir();
  dirs.push(d);
  return d.path;
}

describe('reading files', () => {
  it('a new store reads records of any size whole', async () => {
    const directory = await newDir();
    const writer = fileStore({ directory });
    const sizes = [0, 1, 4095, 4096, 4097, 16_383, 16_384, 16_385, 65_536, 300_000];
    for (const n of sizes) await writer.set(`r${n}`, { v: 1, x: 'x'.repeat(n) });
    const reader = fileStore({ directory });
    for (const n of sizes) expect(await reader.get(`r${n}`)).toEqual({ v: 1, x: 'x'.repeat(n) });
    expect((await reader.list('r')).sort()).toEqual(sizes.map((n) => `r${n}`).sort());
  });

  it.skipIf(process.platform === 'win32')(
    'refuses a FIFO in place of a record without waiting for a writer',
    async () => {
      const directory = await newDir();
      const store = fileStore({ directory });
      await store.set('k', { v: 1 });
      const [record] = await recordFiles(directory);
      await rename(record as string, `${record}.moved`);
      execFileSync('mkfifo', ['-m', '600', record as string]);
      expect((await stat(record as string)).isFIFO()).toBe(true);
      await expect(fileStore({ directory }).get('k')).rejects.toMatchObject({
        code: 'store_insecure_permissions',
      });
    },
  );
});
