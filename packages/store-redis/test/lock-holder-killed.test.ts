import { randomBytes } from 'node:crypto';
import { startRedisServer } from '@mcp-oauth/test-redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore } from '../src/index.ts';
import { assertBuilt, spawnFixture } from './helpers/children.ts';

let server: Awaited<ReturnType<typeof startRedisServer>>;
beforeAll(async () => {
  assertBuilt();
  server = await startRedisServer();
});
afterAll(() => server?.close());

describe('a lock holder killed with SIGKILL', () => {
  it('loses the lease when its ttl ends; the next holder takes over and re-reads what it wrote', async () => {
    const key = randomBytes(32).toString('base64');
    const store = redisStore({ url: server.url, encryptionKey: key, namespace: 'killed' });
    await store.set('refresh', { v: 1, generation: 0 });
    const holder = spawnFixture('lock-holder.mjs', [server.url, key, 'killed', '1000']);
    await holder.waitFor('locked');
    // It holds the lock (for a minute): a short wait is refused.
    await expect(store.lock('refresh', { timeoutMs: 50 })).rejects.toMatchObject({
      code: 'store_lock_timeout',
    });
    // The holder shortens its own lease to 1 s, then dies without releasing it.
    holder.process.kill('SIGUSR1');
    await holder.waitFor('shortened');
    holder.process.kill('SIGKILL');
    expect((await holder.exited).signal).toBe('SIGKILL');
    // No release ever comes: the lease ends by itself in Redis.
    const lock = await store.lock('refresh', { ttlMs: 30_000, timeoutMs: 20_000 });
    try {
      // Re-read after locking: the dead holder's persisted refresh is there.
      expect(await store.get('refresh')).toMatchObject({ v: 1, generation: 1 });
      expect(await lock.extend(30_000)).toBe(true);
    } finally {
      await lock.release();
    }
    expect(await lock.extend()).toBe(false);
    await store.close();
  });

  it('an overlapping stale holder can neither release nor extend the new lease', async () => {
    const key = randomBytes(32);
    const a = redisStore({ url: server.url, encryptionKey: key, namespace: 'overlap' });
    const b = redisStore({ url: server.url, encryptionKey: key, namespace: 'overlap' });
    const stale = await a.lock('k', { ttlMs: 200 });
    const current = await b.lock('k', { ttlMs: 30_000, timeoutMs: 10_000 });
    expect(await stale.extend(30_000)).toBe(false);
    await stale.release();
    await expect(a.lock('k', { timeoutMs: 50 })).rejects.toMatchObject({
      code: 'store_lock_timeout',
    });
    await current.release();
    await a.close();
    await b.close();
  });
});
