import { describe, expect, it } from 'vitest';
import { memoryAdapterFactory } from '../src/memory-adapter.ts';

describe('memoryAdapterFactory (per-server storage of the authorization server)', () => {
  it('keeps every entry (no 1,000-entry LRU eviction)', async () => {
    const tokens = memoryAdapterFactory()('AccessToken');
    for (let i = 0; i < 5_000; i += 1) await tokens.upsert(`t${i}`, { jti: `t${i}` }, 3600);
    expect(await tokens.find('t0')).toEqual({ jti: 't0' });
    expect(await tokens.find('t4999')).toEqual({ jti: 't4999' });
  });

  it('forgets an entry once it expires', async () => {
    const codes = memoryAdapterFactory()('AuthorizationCode');
    await codes.upsert('expired', { jti: 'expired' }, 0);
    await codes.upsert('forever', { jti: 'forever' }, undefined as unknown as number);
    expect(await codes.find('expired')).toBeUndefined();
    expect(await codes.find('forever')).toBeDefined();
  });

  it('revokes every token of a grant, and only those', async () => {
    const adapter = memoryAdapterFactory();
    const access = adapter('AccessToken');
    const refresh = adapter('RefreshToken');
    await access.upsert('a1', { jti: 'a1', grantId: 'g1' }, 3600);
    await refresh.upsert('r1', { jti: 'r1', grantId: 'g1' }, 3600);
    await refresh.upsert('r2', { jti: 'r2', grantId: 'g2' }, 3600);
    await refresh.revokeByGrantId('g1');
    expect(await access.find('a1')).toBeUndefined();
    expect(await refresh.find('r1')).toBeUndefined();
    expect(await refresh.find('r2')).toBeDefined();
  });

  it('marks consumed entries and finds sessions and device codes by their indexes', async () => {
    const adapter = memoryAdapterFactory();
    const refresh = adapter('RefreshToken');
    await refresh.upsert('r1', { jti: 'r1' }, 3600);
    await refresh.consume('r1');
    expect((await refresh.find('r1'))?.consumed).toBeTypeOf('number');
    const sessions = adapter('Session');
    await sessions.upsert('s1', { jti: 's1', uid: 'u1' }, 3600);
    expect(await sessions.findByUid('u1')).toMatchObject({ jti: 's1' });
    const devices = adapter('DeviceCode');
    await devices.upsert('d1', { jti: 'd1', userCode: 'ABCD' }, 600);
    expect(await devices.findByUserCode('ABCD')).toMatchObject({ jti: 'd1' });
    await devices.destroy('d1');
    expect(await devices.findByUserCode('ABCD')).toBeUndefined();
  });
});
