import { randomBytes } from 'node:crypto';
import { startRedisServer } from '@mcp-oauth/test-redis-server';
import { describeStoreContract } from '@mcp-oauth/test-store-contract';
import { afterAll } from 'vitest';
import { redisStore } from '../src/index.ts';

const server = await startRedisServer();
const encryptionKey = randomBytes(32);
afterAll(() => server.close());

describeStoreContract('redis (private redis-server)', {
  create: (namespace) => redisStore({ url: server.url, encryptionKey, namespace }),
});

// The same contract with a key given as base64 text and another key prefix.
describeStoreContract('redis (base64 key, keyPrefix)', {
  create: (namespace) =>
    redisStore({
      url: server.url,
      encryptionKey: encryptionKey.toString('base64'),
      namespace,
      keyPrefix: 'gateway:tokens',
    }),
});
