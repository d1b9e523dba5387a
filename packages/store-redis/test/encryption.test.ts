import { randomBytes } from 'node:crypto';
import { McpOAuthError } from '@mcp-oauth/core/store';
import { startRedisServer } from '@mcp-oauth/test-redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore } from '../src/index.ts';
import { dump, type Raw, rawClient } from './helpers/raw.ts';

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

const key = randomBytes(32);
const open = (namespace: string, encryptionKey: Uint8Array | string = key) =>
  redisStore({ url: server.url, encryptionKey, namespace });
const tokensKey = 'tokens:https://auth.example.com https://mcp.example.com/mcp';
const tokens = (extra: Record<string, number> = {}) => ({
  v: 1,
  kind: 'tokens',
  accessToken: 'secret-access-token-0123456789',
  refreshToken: 'secret-refresh-token-0123456789',
  ...extra,
});

async function caught(promise: Promise<unknown>): Promise<McpOAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(McpOAuthError.isInstance(error)).toBe(true);
  return error as McpOAuthError;
}

/** The Redis key name of a record, found by its namespace (one record in it). */
async function recordName(namespace: string): Promise<string> {
  const names = await raw.keys(`mcp-oauth:{${namespace}}:r:*`);
  expect(names).toHaveLength(1);
  return names[0] as string;
}

describe('encryption at rest', () => {
  it('keeps no token, record key or server URL readable in Redis', async () => {
    const store = open('plain');
    await store.set(tokensKey, tokens());
    const lock = await store.lock(tokensKey);
    const everything = await dump(raw);
    await lock.release();
    await store.close();
    expect(everything).toContain('mcp-oauth:{plain}:r:');
    for (const secret of ['secret-access', 'secret-refresh', 'mcp.example.com', 'auth.example']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('refuses another key with store_wrong_key naming the encryptionKey option', async () => {
    const store = open('wrong-key');
    await store.set(tokensKey, tokens());
    await store.close();
    const other = open('wrong-key', randomBytes(32));
    const error = await caught(other.get(tokensKey));
    expect(error.code).toBe('store_wrong_key');
    expect(error.details.option).toBe('encryptionKey');
    await other.close();
  });

  it('detects a record copied to another key or namespace, or damaged (store_corrupt)', async () => {
    const store = open('copy-a');
    await store.set(tokensKey, tokens());
    await store.set('other', { v: 1 });
    const a = await store.get(tokensKey);
    expect(a).toEqual(tokens());
    const names = await raw.keys('mcp-oauth:{copy-a}:r:*');
    const [first, second] = names as [string, string];
    const value = (await raw.get(first)) as string;
    await raw.set(second, value); // swap one record's value into the other's key
    const [k1, k2] = [tokensKey, 'other'];
    const errors = await Promise.all([store.get(k1), store.get(k2)].map((p) => p.catch((e) => e)));
    expect(errors.filter((e) => McpOAuthError.is(e, 'store_corrupt'))).toHaveLength(1);

    // the same record id in another namespace
    const otherNs = open('copy-b');
    await otherNs.set(tokensKey, tokens());
    const target = await recordName('copy-b');
    const source = (await raw.keys('mcp-oauth:{copy-a}:r:*')).find((n) =>
      n.endsWith(target.slice(target.lastIndexOf(':'))),
    ) as string;
    await raw.set(target, (await raw.get(source)) as string);
    expect((await caught(otherNs.get(tokensKey))).code).toBe('store_corrupt');

    // a value another application wrote, and a newer format version
    await raw.set(target, 'not ours');
    const foreign = await caught(otherNs.get(tokensKey));
    expect(foreign.code).toBe('store_corrupt');
    expect(foreign.message).toContain('keyPrefix');
    await otherNs.set(tokensKey, tokens());
    const bytes = Buffer.from((await raw.get(target)) as string, 'base64');
    bytes[4] = 9;
    await raw.set(target, bytes.toString('base64'));
    const newer = await caught(otherNs.get(tokensKey));
    expect(newer.code).toBe('store_corrupt');
    expect(newer.details.formatVersion).toBe(9);
    expect(newer.message).toContain('upgrade');
    await store.close();
    await otherNs.close();
  });
});

describe('record expiry', () => {
  it('lives as long as the refresh token when the record says so, and forever otherwise', async () => {
    const store = open('ttl');
    const inAnHour = Date.now() + 3_600_000;
    await store.set(tokensKey, tokens({ refreshTokenExpiresAt: inAnHour }));
    const name = await recordName('ttl');
    const pttl = await raw.pTTL(name);
    expect(pttl).toBeGreaterThan(3_000_000);
    expect(pttl).toBeLessThanOrEqual(3_600_000);

    // rotated tokens without a known lifetime: the expiry is removed
    await store.set(tokensKey, tokens());
    expect(await raw.pTTL(name)).toBe(-1);

    // an already expired refresh token: kept at least a minute, so get still finds it
    await store.set(tokensKey, tokens({ refreshTokenExpiresAt: Date.now() - 1_000 }));
    expect(await raw.pTTL(name)).toBeGreaterThan(30_000);
    expect(await store.get(tokensKey)).toBeDefined();

    // other records never expire by default
    await store.set('client:https://auth.example.com', { v: 1, kind: 'client' });
    const all = await raw.keys('mcp-oauth:{ttl}:r:*');
    for (const n of all.filter((n) => n !== name)) expect(await raw.pTTL(n)).toBe(-1);
    await store.close();
  });

  it('follows the recordExpiry option', async () => {
    const at = Date.now() + 7_200_000;
    const store = redisStore({
      url: server.url,
      encryptionKey: key,
      namespace: 'ttl-option',
      recordExpiry: (k) => (k.startsWith('tokens:') ? at : undefined),
    });
    await store.set(tokensKey, tokens());
    expect(await raw.pTTL(await recordName('ttl-option'))).toBeGreaterThan(3_600_000);
    await store.close();
  });

  it('lists without KEYS or SCAN, and drops records that expired from the index', async () => {
    const store = open('listing');
    await store.set('a', { v: 1 });
    await store.set('b', { v: 1 });
    const index = 'mcp-oauth:{listing}:index';
    expect(await raw.hLen(index)).toBe(2);
    // let one record expire in Redis as a TTL would
    const names = await raw.keys('mcp-oauth:{listing}:r:*');
    await raw.pExpire(names[0] as string, 1);
    while ((await raw.exists(names[0] as string)) === 1) await new Promise((r) => setTimeout(r, 5));
    await raw.configResetStat();
    expect((await store.list()).length).toBe(1);
    expect(await raw.hLen(index)).toBe(1);
    const stats = await raw.info('commandstats');
    expect(stats).toContain('cmdstat_hscan');
    expect(stats).not.toContain('cmdstat_keys');
    expect(stats).not.toContain('cmdstat_scan');
    await store.close();
  });
});
