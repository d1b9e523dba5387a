import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { atomicReplace, createExclusive } from '../../src/node/index.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('createExclusive and atomicReplace', () => {
  it('creates a 0600 file once, then reports that it exists; leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'internal-write-'));
    dirs.push(dir);
    expect(await createExclusive(dir, 'f', Buffer.from('one'))).toBe(true);
    expect(await createExclusive(dir, 'f', Buffer.from('two'))).toBe(false);
    expect(await readFile(join(dir, 'f'), 'utf8')).toBe('one');
    if (process.platform !== 'win32') expect((await stat(join(dir, 'f'))).mode & 0o777).toBe(0o600);
    await atomicReplace(dir, 'f', Buffer.from('three'));
    expect(await readFile(join(dir, 'f'), 'utf8')).toBe('three');
    expect(await readdir(dir)).toEqual(['f']);
  });
});
