import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpOAuthError } from '@mcp-oauth/core';
import { describe, expect, it } from 'vitest';
import { fileLocker } from '../src/file-lock.ts';
import { keychainStore } from '../src/index.ts';
import { fixture, lastJson, run, uniqueNamespace } from './support/child.ts';

describe('lock', () => {
  it('is exclusive across processes: 3 processes x 15 increments under the lock make 45', async () => {
    const namespace = uniqueNamespace('xproc');
    const rounds = 15;
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        run(
          process.execPath,
          [fixture('increment.mjs'), namespace, String(rounds)],
          process.env,
          60_000,
        ),
      ),
    );
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(lastJson<{ done: boolean }>(result).done).toBe(true);
    }
    const record = await keychainStore({ namespace }).get('counter');
    expect(record?.count).toBe(3 * rounds);
  }, 60_000);

  it('takes over at once a lock whose holder process is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-lock-'));
    const gone = await run(process.execPath, ['-e', 'console.log(process.pid)']);
    const deadPid = Number(gone.stdout.trim());
    writeFileSync(
      join(dir, 'k.lock'),
      JSON.stringify({
        token: 'dead',
        pid: deadPid,
        host: hostname(),
        expiresAt: Date.now() + 600_000,
      }),
    );
    const started = Date.now();
    const lock = await fileLocker(dir, 'test').acquire('k', 'k', { timeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
    await lock.release();
  });

  it('waits for a live holder on another host until expiry, and for a damaged file until it is 30 s old', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-lock-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'k.lock'),
      JSON.stringify({
        token: 'other',
        pid: 1,
        host: 'elsewhere',
        expiresAt: Date.now() + 600_000,
      }),
    );
    const locker = fileLocker(dir, 'test');
    const error = await locker.acquire('k', 'k', { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'store_lock_timeout')).toBe(true);
    // A damaged file may be a newer version's lock: held until 30 s after it was written.
    writeFileSync(join(dir, 'd.lock'), '{"tok');
    const held = await locker.acquire('d', 'd', { timeoutMs: 0 }).catch((e: unknown) => e);
    expect(McpOAuthError.is(held, 'store_lock_timeout')).toBe(true);
    const old = new Date(Date.now() - 31_000);
    utimesSync(join(dir, 'd.lock'), old, old);
    const lock = await locker.acquire('d', 'd', { timeoutMs: 1_000 });
    await lock.release();
  });
});
