import { randomBytes } from 'node:crypto';
import { startRedisServer } from '@mcp-oauth/test-redis-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { redisStore } from '../src/index.ts';
import { type Raw, rawClient } from './helpers/raw.ts';

const encryptionKey = randomBytes(32);
let server: Awaited<ReturnType<typeof startRedisServer>>;
let raw: Raw;
beforeAll(async () => {
  server = await startRedisServer();
  raw = await rawClient(server.url);
});
afterAll(async () => {
  await raw?.close();
  await server?.close();
});

/** Connections the Redis server has open, the raw client's own included. */
const connections = async () =>
  String(await raw.sendCommand(['CLIENT', 'LIST']))
    .trim()
    .split('\n').length;

describe('await using', () => {
  it('closes the connection the store opened when the block ends', async () => {
    const before = await connections();
    let disposed: ReturnType<typeof redisStore> | undefined;
    {
      await using store = redisStore({ url: server.url, encryptionKey, namespace: 'owned' });
      await store.set('k', { v: 1 });
      expect(await connections()).toBe(before + 1);
      disposed = store;
    }
    // The server sees the socket end after the client's graceful close; wait for it.
    await vi.waitFor(async () => expect(await connections()).toBe(before));
    await expect(disposed.get('k')).rejects.toThrow(/closed/);
  });

  it('leaves a client the application passed open', async () => {
    const client = await rawClient(server.url);
    try {
      {
        await using store = redisStore({ client, encryptionKey, namespace: 'passed' });
        await store.set('k', { v: 1 });
      }
      expect(client.isOpen).toBe(true);
      expect(await client.ping()).toBe('PONG');
    } finally {
      await client.close();
    }
  });

  it('closing the store of one namespace leaves the other stores on the same client working', async () => {
    // stores of one client and key share the connection wrapper and the derived keys (a
    // gateway makes one per tenant): closing one is that store's own affair
    const client = await rawClient(server.url);
    try {
      const a = redisStore({ client, encryptionKey, namespace: 'tenant-a' });
      const b = redisStore({ client, encryptionKey, namespace: 'tenant-b' });
      await a.set('k', { v: 1, who: 'a' });
      await b.set('k', { v: 1, who: 'b' });
      await a.close();
      await expect(a.get('k')).rejects.toThrow(/closed/);
      expect(await b.get('k')).toEqual({ v: 1, who: 'b' });
      const again = redisStore({ client, encryptionKey, namespace: 'tenant-a' });
      expect(await again.get('k')).toEqual({ v: 1, who: 'a' });
      expect(client.isOpen).toBe(true);
    } finally {
      await client.close();
    }
  });
});
