import { randomBytes } from 'node:crypto';
import { McpOAuthError } from '@mcp-oauth/core/store';
import { freePort, startRedisServer } from '@mcp-oauth/test-redis-server';
import {
  createClient,
  type createCluster,
  type createSentinel,
  type RedisClientType,
} from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisClientLike, type RedisStoreOptions, redisStore } from '../src/index.ts';

// Every kind of node-redis client fits the `client` option (checked by the compiler).
type Fits<T extends RedisClientLike> = T;
export type Clients = [
  Fits<RedisClientType>,
  Fits<ReturnType<typeof createCluster>>,
  Fits<ReturnType<typeof createSentinel>>,
];

let server: Awaited<ReturnType<typeof startRedisServer>>;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server?.close());
const encryptionKey = randomBytes(32);

function configError(options: unknown): McpOAuthError {
  try {
    redisStore(options as RedisStoreOptions);
  } catch (error) {
    expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
    return error as McpOAuthError;
  }
  throw new Error('expected invalid_configuration');
}

describe('options', () => {
  it('names the option at fault', () => {
    expect(configError({}).details.option).toBe('encryptionKey');
    expect(configError({ encryptionKey: randomBytes(16) }).details.option).toBe('encryptionKey');
    expect(configError({ encryptionKey: 'not base64 of 32 bytes' }).details.option).toBe(
      'encryptionKey',
    );
    expect(configError({ encryptionKey, namespace: 'a}b' }).details.option).toBe('namespace');
    expect(configError({ encryptionKey, keyPrefix: '{x}' }).details.option).toBe('keyPrefix');
    expect(configError({ encryptionKey, url: 'http://localhost' }).details.option).toBe('url');
    expect(configError({ encryptionKey, url: 'redis://x', client: {} }).message).toContain(
      'only one',
    );
    expect(configError({ encryptionKey, commandTimeoutMs: 0 }).details.option).toBe(
      'commandTimeoutMs',
    );
  });

  it('never shows the password: not in the description, errors or their causes', async () => {
    const port = await freePort(); // nothing listens there
    const store = redisStore({
      url: `redis://app:hunter2-secret@127.0.0.1:${port}/0`,
      encryptionKey,
      commandTimeoutMs: 1_000,
    });
    expect(store.description).not.toContain('hunter2');
    const error = (await store.get('k').catch((e: unknown) => e)) as McpOAuthError;
    expect(McpOAuthError.is(error, 'store_unavailable')).toBe(true);
    const everything = `${error.message} ${JSON.stringify(error.details)} ${String(error.cause)}`;
    expect(everything).not.toContain('hunter2');
    expect(error.details.option).toBe('url');
    await store.close();
  });

  it('reports rejected credentials as store_auth_failed', async () => {
    const locked = await startRedisServer();
    const admin = createClient({ url: locked.url });
    await admin.connect();
    await admin.configSet('requirepass', 'right-password');
    await admin.close();
    for (const url of [locked.url, locked.url.replace('//', '//:wrong-password@')]) {
      const store = redisStore({ url, encryptionKey });
      const error = (await store.get('k').catch((e: unknown) => e)) as McpOAuthError;
      expect(error.code).toBe('store_auth_failed');
      expect(`${error.message} ${String(error.cause)}`).not.toContain('wrong-password');
      await store.close();
    }
    await locked.close();
  });

  it("uses the application's client, opens it if needed, and never closes it", async () => {
    const client = createClient({ url: server.url });
    const store = redisStore({ client, encryptionKey, namespace: 'app-client' });
    await store.set('k', { v: 1 });
    expect(client.isOpen).toBe(true);
    await store.close();
    expect(client.isOpen).toBe(true);
    expect(await client.exists('mcp-oauth:{app-client}:index')).toBe(1);
    const again = redisStore({ client, encryptionKey, namespace: 'app-client' });
    expect(await again.get('k')).toEqual({ v: 1 });
    await again.close();
    await client.close();
  });
});
