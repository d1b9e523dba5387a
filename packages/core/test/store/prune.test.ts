import { describe, expect, it } from 'vitest';
import { storeKeys } from '../../src/store/keys.ts';
import { memoryStore } from '../../src/store/memory.ts';
import { pruneStore } from '../../src/store/prune.ts';
import type { StoreRecord } from '../../src/store/types.ts';

const NOW = 1_800_000_000_000;
const AS = 'https://as.example';

const tokens = (resource: string, overrides: Record<string, unknown> = {}): StoreRecord => ({
  v: 1,
  kind: 'tokens',
  issuer: AS,
  resource,
  clientId: 'c',
  accessToken: 'at',
  tokenType: 'Bearer',
  obtainedAt: NOW - 3_600_000,
  expiresAt: NOW - 1,
  ...overrides,
});

const client = (issuer: string, overrides: Record<string, unknown> = {}): StoreRecord => ({
  v: 1,
  kind: 'client',
  issuer,
  source: 'dynamic-registration',
  clientId: 'c',
  tokenEndpointAuthMethod: 'none',
  redirectUris: ['http://127.0.0.1/cb'],
  grantTypes: ['authorization_code', 'refresh_token'],
  registeredAt: NOW - 10_000,
  ...overrides,
});

describe('pruneStore', () => {
  it('deletes tokens past use (expired, no refresh token) and keeps the rest', async () => {
    const store = memoryStore();
    const dead = storeKeys.tokens(AS, 'https://a.example/mcp');
    const refreshable = storeKeys.tokens(AS, 'https://b.example/mcp');
    const valid = storeKeys.tokens(AS, 'https://c.example/mcp');
    await store.set(dead, tokens('https://a.example/mcp'));
    await store.set(refreshable, tokens('https://b.example/mcp', { refreshToken: 'rt' }));
    await store.set(valid, tokens('https://c.example/mcp', { expiresAt: NOW + 60_000 }));

    const result = await pruneStore(store, { now: NOW });
    expect(result.tokens).toEqual([dead]);
    expect(await store.get(dead)).toBeUndefined();
    expect(await store.get(refreshable)).toBeDefined();
    expect(await store.get(valid)).toBeDefined();
  });

  it('counts a refresh token older than refreshTokenLifetimeMs as past use', async () => {
    const store = memoryStore();
    const key = storeKeys.tokens(AS, 'https://b.example/mcp');
    await store.set(key, tokens('https://b.example/mcp', { refreshToken: 'rt' }));
    expect(
      (await pruneStore(store, { now: NOW, refreshTokenLifetimeMs: 7_200_000 })).tokens,
    ).toEqual([]);
    expect(
      (await pruneStore(store, { now: NOW, refreshTokenLifetimeMs: 1_800_000 })).tokens,
    ).toEqual([key]);
  });

  it('keeps tokens another holder of the lock refreshed while prune waited for it', async () => {
    const store = memoryStore();
    const key = storeKeys.tokens(AS, 'https://a.example/mcp');
    await store.set(key, tokens('https://a.example/mcp'));
    const held = await store.lock(key); // "another process" is refreshing
    const pruning = pruneStore(store, { now: NOW });
    await store.set(key, tokens('https://a.example/mcp', { expiresAt: NOW + 60_000 }));
    await held.release();
    expect((await pruning).tokens).toEqual([]);
    expect(await store.get(key)).toMatchObject({ expiresAt: NOW + 60_000 });
  });

  it('deletes expired and unused dynamic registrations, keeps used and pre-registered ones', async () => {
    const store = memoryStore();
    const other = 'https://other-as.example';
    const gone = 'https://gone-as.example';
    await store.set(
      storeKeys.tokens(AS, 'https://c.example/mcp'),
      tokens('https://c.example/mcp', { expiresAt: NOW + 60_000 }),
    );
    await store.set(storeKeys.client(AS), client(AS));
    await store.set(storeKeys.client(gone), client(gone));
    await store.set(storeKeys.client(other), client(other, { source: 'pre-registered' }));
    const expiredIssuer = 'https://expired-as.example';
    await store.set(storeKeys.discovery('https://d.example/mcp'), {
      v: 1,
      kind: 'discovery',
      resource: 'https://d.example/mcp',
      issuer: expiredIssuer,
    });
    await store.set(
      storeKeys.client(expiredIssuer),
      client(expiredIssuer, { clientSecret: 's', clientSecretExpiresAt: NOW - 1 }),
    );

    const result = await pruneStore(store, { now: NOW });
    expect(result.registrations.sort()).toEqual(
      [storeKeys.client(gone), storeKeys.client(expiredIssuer)].sort(),
    );
    expect(await store.get(storeKeys.client(AS))).toBeDefined();
    expect(await store.get(storeKeys.client(other))).toBeDefined();
  });

  it('deletes DPoP key pairs whose tokens are gone', async () => {
    const store = memoryStore();
    await store.set(
      storeKeys.tokens(AS, 'https://c.example/mcp'),
      tokens('https://c.example/mcp', { expiresAt: NOW + 60_000 }),
    );
    await store.set(storeKeys.dpopKey(AS, 'https://c.example/mcp'), { v: 1, kind: 'dpop-key' });
    await store.set(storeKeys.dpopKey(AS, 'https://a.example/mcp'), { v: 1, kind: 'dpop-key' });
    const result = await pruneStore(store, { now: NOW });
    expect(result.dpopKeys).toEqual([storeKeys.dpopKey(AS, 'https://a.example/mcp')]);
    expect(await store.get(storeKeys.dpopKey(AS, 'https://c.example/mcp'))).toBeDefined();
  });

  it('with dryRun reports the same keys and deletes nothing', async () => {
    const store = memoryStore();
    const dead = storeKeys.tokens(AS, 'https://a.example/mcp');
    await store.set(dead, tokens('https://a.example/mcp'));
    await store.set(storeKeys.client('https://gone.example'), client('https://gone.example'));
    const result = await pruneStore(store, { now: NOW, dryRun: true });
    expect(result.tokens).toEqual([dead]);
    expect(result.registrations).toEqual([storeKeys.client('https://gone.example')]);
    expect(await store.list()).toHaveLength(2);
  });

  it('lets go of a replaced registration once no stored tokens were issued to it', async () => {
    const store = memoryStore();
    const key = storeKeys.client(AS);
    const previous = client(AS, { clientId: 'old' });
    const tokensKey = storeKeys.tokens(AS, 'https://a.example/mcp');
    await store.set(key, client(AS, { clientId: 'new', previous }));
    // tokens of the old registration still live: it is kept
    await store.set(
      tokensKey,
      tokens('https://a.example/mcp', { clientId: 'old', refreshToken: 'rt' }),
    );
    expect((await pruneStore(store, { now: NOW })).replacedRegistrations).toEqual([]);
    expect((await store.get(key))?.previous).toBeDefined();
    // a login with the new one replaced them: the old one goes (dry run first: reported only)
    await store.set(
      tokensKey,
      tokens('https://a.example/mcp', { clientId: 'new', refreshToken: 'rt' }),
    );
    expect((await pruneStore(store, { now: NOW, dryRun: true })).replacedRegistrations).toEqual([
      'old',
    ]);
    expect((await store.get(key))?.previous).toBeDefined();
    expect((await pruneStore(store, { now: NOW })).replacedRegistrations).toEqual(['old']);
    const kept = await store.get(key);
    expect(kept?.clientId).toBe('new');
    expect(kept?.previous).toBeUndefined();
  });
});
