import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireFileLock, FileLockError, type FileLockTakeover } from '../../src/node/index.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function lockDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'internal-lock-'));
  dirs.push(dir);
  return dir;
}
/** The pid of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString());
}
const request = (dir: string, extra: { timeoutMs?: number; ttlMs?: number } = {}) => ({
  dir,
  name: 'k',
  ttlMs: extra.ttlMs ?? 60_000,
  timeoutMs: extra.timeoutMs ?? 5_000,
});

describe('acquireFileLock', () => {
  it('writes the holder, its host and its expiry, and release removes the file', async () => {
    const dir = await lockDir();
    const lock = await acquireFileLock(request(dir));
    const content = JSON.parse(await readFile(lock.path, 'utf8'));
    expect(content).toMatchObject({ v: 1, pid: process.pid, host: hostname() });
    expect(content.expiresAt).toBe(lock.expiresAt);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('is exclusive: a second caller waits until the first releases', async () => {
    const dir = await lockDir();
    const order: string[] = [];
    const first = await acquireFileLock(request(dir));
    const second = acquireFileLock(request(dir)).then((lock) => {
      order.push('second acquired');
      return lock;
    });
    await new Promise((resolve) => setImmediate(resolve));
    order.push('first releases');
    await first.release();
    await (await second).release();
    expect(order).toEqual(['first releases', 'second acquired']);
  });

  it('times out with the holder named when the holder stays', async () => {
    const dir = await lockDir();
    const held = await acquireFileLock(request(dir));
    const error = await acquireFileLock(request(dir, { timeoutMs: 50 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileLockError);
    expect(error).toMatchObject({
      reason: 'timeout',
      holder: { pid: process.pid, host: hostname(), expiresAt: held.expiresAt },
    });
    await held.release();
  });

  it('stops waiting when the signal aborts, with its reason', async () => {
    const dir = await lockDir();
    const held = await acquireFileLock(request(dir));
    const controller = new AbortController();
    const waiting = acquireFileLock({ ...request(dir), signal: controller.signal });
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    await held.release();
  });

  it('takes over at once the lock of a process on this host that no longer runs', async () => {
    const dir = await lockDir();
    const pid = deadPid();
    const lock = { token: 'dead', pid, host: hostname(), expiresAt: Date.now() + 600_000 };
    await writeFile(join(dir, 'k.lock'), JSON.stringify(lock), { mode: 0o600 });
    const takeovers: FileLockTakeover[] = [];
    const acquired = await acquireFileLock({
      ...request(dir, { timeoutMs: 0 }),
      onTakeover: (t) => takeovers.push(t),
    });
    expect(takeovers).toEqual([{ path: acquired.path, reason: 'holder_gone', holderPid: pid }]);
    await acquired.release();
  });

  it('honours a lock of another host until it expires, then takes it', async () => {
    const dir = await lockDir();
    const expiresAt = Date.now() + 300;
    const foreign = {
      v: 1,
      token: 'x',
      pid: 1,
      host: 'elsewhere.invalid',
      acquiredAt: 0,
      expiresAt,
    };
    await writeFile(join(dir, 'k.lock'), JSON.stringify(foreign), { mode: 0o600 });
    await expect(acquireFileLock(request(dir, { timeoutMs: 0 }))).rejects.toMatchObject({
      reason: 'timeout',
      holder: { host: 'elsewhere.invalid' },
    });
    const lock = await acquireFileLock(request(dir));
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    await lock.release();
  });

  it('honours a lock file in the format of store-keychain 0.1 (no v, no acquiredAt)', async () => {
    const dir = await lockDir();
    const old = {
      token: 'old',
      pid: process.pid,
      host: hostname(),
      expiresAt: Date.now() + 60_000,
    };
    await writeFile(join(dir, 'k.lock'), JSON.stringify(old), { mode: 0o600 });
    await expect(acquireFileLock(request(dir, { timeoutMs: 0 }))).rejects.toMatchObject({
      reason: 'timeout',
      holder: { pid: process.pid },
    });
  });

  it('treats an unreadable lock file as held until 30 s after it was written', async () => {
    const dir = await lockDir();
    const path = join(dir, 'k.lock');
    await writeFile(path, '{"tok', { mode: 0o600 });
    await expect(acquireFileLock(request(dir, { timeoutMs: 0 }))).rejects.toMatchObject({
      reason: 'timeout',
      holder: undefined,
    });
    const old = new Date(Date.now() - 31_000);
    await utimes(path, old, old);
    const takeovers: FileLockTakeover[] = [];
    const lock = await acquireFileLock({
      ...request(dir, { timeoutMs: 0 }),
      onTakeover: (t) => takeovers.push(t),
    });
    expect(takeovers.map((t) => t.reason)).toEqual(['unreadable']);
    await lock.release();
  });

  it("an expired holder's release leaves its successor's lock in place", async () => {
    const dir = await lockDir();
    const expired = await acquireFileLock(request(dir, { ttlMs: 1 }));
    while (Date.now() <= expired.expiresAt) await new Promise((r) => setTimeout(r, 1));
    const successor = await acquireFileLock(request(dir));
    await expired.release();
    expect(JSON.parse(await readFile(successor.path, 'utf8')).expiresAt).toBe(successor.expiresAt);
    await successor.release();
  });

  it('fails with reason write when the folder does not exist', async () => {
    const dir = join(await lockDir(), 'missing');
    await expect(acquireFileLock(request(dir))).rejects.toMatchObject({
      reason: 'write',
      cause: { code: 'ENOENT' },
    });
  });
});
