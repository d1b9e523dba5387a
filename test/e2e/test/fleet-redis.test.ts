import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createOAuthClient } from '@mcp-oauth/core';
import { headlessInteraction } from '@mcp-oauth/core/flow';
import { type RedisStore, redisStore } from '@mcp-oauth/store-redis';
import { type RedisServer, startRedisServer } from '@mcp-oauth/test-redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleet } from '../src/fleet.ts';
import { type Stack, startStack } from '../src/harness.ts';

const TTL_SECONDS = 2;
const DURATION_MS = 7_000;
const PROCESSES = 6;

/**
 * Six gateway processes share one Redis (a private redis-server) and one authorization
 * server with refresh-token rotation and 2-second access tokens. Rotation turns a second
 * refresh of the same generation into invalid_grant, so zero invalid_grant means one
 * refresh per expiry; the count of refreshes is bounded by the time the run really took.
 */
describe(`a fleet of ${PROCESSES} processes sharing one Redis`, () => {
  let stack: Stack;
  let redis: RedisServer;
  let store: RedisStore;
  let config: { url: string; encryptionKey: string; namespace: string };
  beforeAll(async () => {
    redis = await startRedisServer();
    stack = await startStack({
      as: { accessTokenTtlSeconds: TTL_SECONDS, refreshTokenRotation: true },
    });
    config = {
      url: redis.url,
      encryptionKey: randomBytes(32).toString('base64'),
      namespace: `fleet-${Date.now()}`,
    };
    store = redisStore(config);
    const login = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
    });
    await login.authorize();
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await stack?.close();
    await redis?.close();
  });

  it('makes one refresh per expiry, with zero invalid_grant and zero re-authorizations', async () => {
    const authorizations = stack.as.stats.authorizations;
    const refreshes = stack.as.stats.refreshSuccess;
    const started = performance.now();
    const results = await runFleet(PROCESSES, {
      serverUrl: stack.mcp.url,
      store: 'redis',
      config,
      durationMs: DURATION_MS,
    });
    const elapsedMs = performance.now() - started;
    for (const r of results) {
      expect(r.errors).toEqual([]);
      expect(r.ok).toBeGreaterThan(5);
      expect(r.events.authorized).toBe(0);
    }
    const made = stack.as.stats.refreshSuccess - refreshes;
    expect(stack.as.stats.invalidGrant).toBe(0);
    expect(stack.as.stats.authorizations).toBe(authorizations);
    // Every worker called for DURATION_MS with 2 s tokens: several expiries were crossed.
    expect(made).toBeGreaterThanOrEqual(Math.floor(DURATION_MS / (TTL_SECONDS * 1000)));
    // A token is refreshed at the earliest at its half-life: at most one refresh per
    // half-life of the time the run actually took (start-up under load included).
    expect(made).toBeLessThanOrEqual(Math.ceil(elapsedMs / ((TTL_SECONDS * 1000) / 2)) + 1);
    // Every refresh the server saw was made by exactly one process.
    expect(results.reduce((n, r) => n + r.events.refreshed, 0)).toBe(made);
    for (const key of await store.list()) expect(await store.get(key)).toBeDefined();
  }, 90_000);
});
