import { readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStore } from '../src/index.ts';
import { testDir } from './helpers/temp-dir.ts';

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** A temporary file as a writer killed two hours ago would have left it. */
async function staleTemp(dir: string, name: string) {
  const path = join(dir, name);
  await writeFile(path, 'partial', { mode: 0o600 });
  const past = new Date(Date.now() - 2 * 60 * 60 * 1000);
  await utimes(path, past, past);
  return path;
}

describe('what a store touches', () => {
  it('a store that only reads makes no locks folder and leaves the housekeeping to writers', async () => {
    const directory = await testDir();
    await fileStore({ directory, namespace: 'ns' }).set('k', { v: 1 });
    const nsDir = join(directory, 'namespaces', 'ns');
    const leftover = await staleTemp(nsDir, '.tmp-1-0123456789abcdef');

    const reader = fileStore({ directory, namespace: 'ns' });
    expect(await reader.get('k')).toEqual({ v: 1 });
    expect(await exists(join(nsDir, 'locks'))).toBe(false);
    expect(await exists(leftover)).toBe(true);

    // the first write removes what crashed writers left; the first lock makes its folder
    await reader.set('k', { v: 2 });
    expect(await exists(leftover)).toBe(false);
    await (await reader.lock('k')).release();
    expect(await exists(join(nsDir, 'locks'))).toBe(true);
  });

  it('the first lock removes the temporary files crashed lock holders left', async () => {
    const directory = await testDir();
    const store = fileStore({ directory, namespace: 'ns' });
    await (await store.lock('k')).release();
    const locks = join(directory, 'namespaces', 'ns', 'locks');
    const leftover = await staleTemp(locks, '.tmp-1-fedcba9876543210');
    await (await fileStore({ directory, namespace: 'ns' }).lock('k')).release();
    expect((await readdir(locks)).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
    expect(await exists(leftover)).toBe(false);
  });
});
