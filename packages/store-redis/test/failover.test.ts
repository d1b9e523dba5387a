import { randomBytes } from 'node:crypto';
import { McpOAuthError } from '@mcp-oauth/core/store';
import { type RedisServer, startRedisServer } from '@mcp-oauth/test-redis-server';
import { afterAll, describe, expect, it } from 'vitest';
import { redisStore } from '../src/index.ts';

const encryptionKey = randomBytes(32);
const servers: RedisServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});
async function start(options: Parameters<typeof startRedisServer>[0] = {}) {
  const server = await startRedisServer(options);
  servers.push(server);
  return server;
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Redis restarted mid-run', () => {
  it('fails with typed errors while it is down and loses nothing acknowledged once it returns', async () => {
    // A Redis that keeps data across restarts (append-only file, fsync before each reply).
    const server = await start({ persistent: true });
    const store = redisStore({
      url: server.url,
      encryptionKey,
      namespace: 'restart',
      commandTimeoutMs: 2_000,
    });
    const holder = redisStore({ url: server.url, encryptionKey, namespace: 'restart' });
    for (let i = 0; i < 20; i++) await store.set(`stable/${i}`, { v: 1, i, token: `rt-${i}` });
    const held = await holder.lock('tokens:x');
    // A waiter that must not hang, nor time out as if the lock were simply busy.
    const waiter = store.lock('tokens:x', { timeoutMs: 60_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );

    let acked = 0;
    let attempted = 0;
    const errors: unknown[] = [];
    const write = async () => {
      attempted++;
      try {
        await store.set('tokens:x', {
          v: 1,
          generation: attempted,
          refreshToken: `rt-${attempted}`,
        });
        acked = attempted;
        return true;
      } catch (error) {
        errors.push(error);
        return false;
      }
    };
    for (let ok = 0; ok < 10; ) if (await write()) ok++;
    await server.kill('SIGKILL');
    // Down: every call fails fast and typed.
    for (let failed = 0; failed < 5; ) if (!(await write())) failed++;
    const readError = await store.get('stable/0').then(
      () => undefined,
      (e: unknown) => e,
    );
    const waited = await waiter;
    await server.restart();
    // Back: the client reconnects by itself; keep writing until it succeeds a few times.
    for (let ok = 0; ok < 10; ) {
      if (await write()) ok++;
      else await pause(20);
    }

    for (const error of [...errors, readError, waited]) {
      expect(McpOAuthError.isInstance(error)).toBe(true);
      expect((error as McpOAuthError).code).toBe('store_unavailable');
      expect((error as McpOAuthError).details.option).toBe('url');
      expect((error as McpOAuthError).message).not.toMatch(/rt-\d/);
    }
    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(await store.get('tokens:x')).toEqual({
      v: 1,
      generation: acked,
      refreshToken: `rt-${acked}`,
    });
    for (let i = 0; i < 20; i++)
      expect(await store.get(`stable/${i}`)).toEqual({ v: 1, i, token: `rt-${i}` });
    expect((await store.list('stable/')).length).toBe(20);
    // The lock survived the restart too (append-only file), and still ends by its holder only:
    // its release goes through once the holder's own client has reconnected (it retries by itself)
    for (let released = false; !released; ) {
      released = await held.release().then(
        () => true,
        () => pause(20).then(() => false),
      );
    }
    const again = await store.lock('tokens:x', { timeoutMs: 5_000 });
    await again.release();
    await store.close();
    await holder.close();
  });
});

describe('a release that failed while Redis was down', () => {
  it('can be tried again, and frees the lock once Redis is back', async () => {
    const server = await start({ persistent: true });
    const holder = redisStore({ url: server.url, encryptionKey, namespace: 'release-again' });
    const other = redisStore({ url: server.url, encryptionKey, namespace: 'release-again' });
    const held = await holder.lock('tokens:y');
    await server.kill('SIGKILL');
    const failed = await held.release().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(McpOAuthError.isInstance(failed)).toBe(true);
    await server.restart();
    // the holder's client reconnects by itself; until then a release fails and may be repeated
    for (let released = false; !released; ) {
      released = await held.release().then(
        () => true,
        () => pause(20).then(() => false),
      );
    }
    // freed for real: another process gets the lock at once, not after the 30 s lease
    const next = await other.lock('tokens:y', { timeoutMs: 2_000 });
    await next.release();
    await holder.close();
    await other.close();
  });
});

describe('pointed at a read-only replica (failover in progress)', () => {
  it('refuses writes and locks with store_unavailable (reason readonly) and still reads', async () => {
    const primary = await start();
    const replica = await start({ replicaOf: primary.port });
    const writer = redisStore({ url: primary.url, encryptionKey, namespace: 'replica' });
    await writer.set('k', { v: 1, written: 'on the primary' });
    const reader = redisStore({ url: replica.url, encryptionKey, namespace: 'replica' });
    // replication is asynchronous: wait until the replica has the record
    let seen: unknown;
    for (let i = 0; i < 3_000 && seen === undefined; i++) {
      seen = await reader.get('k').catch(() => undefined);
      if (seen === undefined) await pause(10);
    }
    expect(seen).toEqual({ v: 1, written: 'on the primary' });
    for (const attempt of [reader.set('k', { v: 1 }), reader.lock('k'), reader.delete('k')]) {
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(McpOAuthError.is(error, 'store_unavailable')).toBe(true);
      expect((error as McpOAuthError).details.reason).toBe('readonly');
      expect((error as McpOAuthError).message).toContain('url');
    }
    expect(await writer.get('k')).toEqual({ v: 1, written: 'on the primary' });
    await writer.close();
    await reader.close();
  });
});
