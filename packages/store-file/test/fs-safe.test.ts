import { execFileSync } from 'node:child_process';
import { rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStore } from '../src/index.ts';
import { recordFiles } from './helpers/files.ts';
import { testDir } from './helpers/temp-dir.ts';

describe('the folder', () => {
  it('that cannot be created: store_unavailable naming the folder and the `directory` option, for reads and writes alike', async () => {
    const base = await testDir();
    // a file where a folder above the store's should be (like a read-only or foreign HOME)
    await writeFile(join(base, 'home'), '');
    const directory = join(base, 'home', '.local', 'share', 'mcp-oauth');
    const store = fileStore({ directory });
    for (const attempt of [() => store.get('k'), () => store.set('k', { v: 1 })]) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e as { code?: string; message?: string; details?: Record<string, unknown> },
      );
      expect(error).toMatchObject({
        code: 'store_unavailable',
        details: { path: directory, option: 'directory', errno: 'ENOTDIR' },
      });
      expect(error?.message).toContain(directory);
      expect(error?.message).toContain('`directory` option');
    }
  });
});

describe('reading files', () => {
  it('a new store reads records of any size whole', async () => {
    const directory = await testDir();
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
      const directory = await testDir();
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
