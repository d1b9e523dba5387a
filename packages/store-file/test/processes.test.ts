import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fileStore } from '../src/index.ts';
import { assertBuilt, type Child, spawnFixture } from './helpers/children.ts';
import { tempDir } from './helpers/temp-dir.ts';

const children: Child[] = [];
const dirs: Awaited<ReturnType<typeof tempDir>>[] = [];
beforeAll(assertBuilt);
afterEach(async () => {
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
  for (const dir of dirs.splice(0)) await dir.remove();
});

async function newDir(): Promise<string> {
  const dir = await tempDir();
  dirs.push(dir);
  return dir.path;
}

describe('cross-process lock', () => {
  it('4 processes incrementing a counter 25 times each under the lock end at 100', async () => {
    const directory = await newDir();
    // Create the key file and metadata first, so the workers race on the lock, not on setup.
    await fileStore({ directory, namespace: 'procs' }).set('counter', { v: 1, n: 0, by: [] });
    const workers = Array.from({ length: 4 }, () =>
      spawnFixture('counter-worker.mjs', [directory, '25']),
    );
    children.push(...workers);
    const results = await Promise.all(workers.map((w) => w.exited));
    for (const [i, r] of results.entries())
      expect(r, workers[i]?.output()).toEqual({ code: 0, signal: null });
    const final = (await fileStore({ directory, namespace: 'procs' }).get('counter')) as {
      n: number;
      by: number[];
    };
    expect(final.n).toBe(100);
    expect(final.by).toHaveLength(100);
    // every worker contributed exactly 25 increments
    const counts = new Map<number, number>();
    for (const pid of final.by) counts.set(pid, (counts.get(pid) ?? 0) + 1);
    expect([...counts.values()]).toEqual([25, 25, 25, 25]);
  }, 60_000);

  it('recovers the lock of a SIGKILLed holder on this host without waiting for its expiry', async () => {
    const directory = await newDir();
    const holder = spawnFixture('lock-holder.mjs', [directory, '600000']);
    children.push(holder);
    await holder.waitFor('locked');
    const warnings: string[] = [];
    const store = fileStore({
      directory,
      namespace: 'procs',
      onWarning: (w) => warnings.push(w.code),
    });
    // alive: the lock is respected
    await expect(store.lock('refresh', { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'store_lock_timeout',
    });
    holder.process.kill('SIGKILL');
    await holder.exited;
    const started = Date.now();
    const lock = await store.lock('refresh', { timeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(warnings).toContain('stale_lock_recovered');
    await lock.release();
  }, 30_000);

  it('recovers a lock held by a process on another host only after it expires', async () => {
    const directory = await newDir();
    const store = fileStore({ directory, namespace: 'procs', onWarning: () => {} });
    // Take and release once to learn the lock file name, then plant a foreign owner there.
    const probe = await store.lock('refresh');
    const { readdir } = await import('node:fs/promises');
    const locksDir = join(directory, 'namespaces', 'procs', 'locks');
    const [lockName] = (await readdir(locksDir)).filter((n) => n.endsWith('.lock'));
    await probe.release();
    const expiresAt = Date.now() + 700;
    const foreign = {
      v: 1,
      token: 'other',
      pid: 1,
      host: 'another-host.invalid',
      acquiredAt: Date.now(),
      expiresAt,
    };
    await writeFile(join(locksDir, lockName as string), JSON.stringify(foreign), { mode: 0o600 });
    await expect(store.lock('refresh', { timeoutMs: 200 })).rejects.toMatchObject({
      code: 'store_lock_timeout',
    });
    const lock = await store.lock('refresh', { timeoutMs: 5_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    await lock.release();
  }, 30_000);
});
