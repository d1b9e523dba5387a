import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVaultServer, type VaultServer } from '../src/index.ts';
import { call } from './helpers.ts';

let vault: VaultServer;
const root = () => ({ token: vault.rootToken });

beforeAll(async () => {
  vault = await startVaultServer();
});
afterAll(() => vault.close());

describe('KV v2 data', () => {
  it('writes versions and reads the data/metadata envelope', async () => {
    const w1 = await call(vault.url, 'POST', '/v1/secret/data/app/one', {
      ...root(),
      body: { data: { a: 1 } },
    });
    expect(w1.status).toBe(200);
    expect(w1.body.data).toMatchObject({ version: 1, destroyed: false, deletion_time: '' });
    expect(w1.body.data.created_time).toMatch(/^\d{4}-\d\d-\d\dT.*\.\d{9}Z$/);
    const w2 = await call(vault.url, 'PUT', '/v1/secret/data/app/one', {
      ...root(),
      body: { data: { a: 2 } },
    });
    expect(w2.body.data.version).toBe(2);

    const latest = await call(vault.url, 'GET', '/v1/secret/data/app/one', root());
    expect(latest.status).toBe(200);
    expect(latest.body.data.data).toEqual({ a: 2 });
    expect(latest.body.data.metadata.version).toBe(2);
    const first = await call(vault.url, 'GET', '/v1/secret/data/app/one?version=1', root());
    expect(first.body.data.data).toEqual({ a: 1 });
  });

  it('answers 404 with an empty errors list for a missing secret', async () => {
    const r = await call(vault.url, 'GET', '/v1/secret/data/app/missing', root());
    expect(r).toEqual({ status: 404, body: { errors: [] } });
  });

  it('applies check-and-set: cas=0 only when absent, else the current version', async () => {
    const path = '/v1/secret/data/cas/key';
    const created = await call(vault.url, 'POST', path, {
      ...root(),
      body: { data: { v: 1 }, options: { cas: 0 } },
    });
    expect(created.body.data.version).toBe(1);
    const again = await call(vault.url, 'POST', path, {
      ...root(),
      body: { data: { v: 2 }, options: { cas: 0 } },
    });
    expect(again).toEqual({
      status: 400,
      body: { errors: ['check-and-set parameter did not match the current version'] },
    });
    const stale = await call(vault.url, 'POST', path, {
      ...root(),
      body: { data: { v: 2 }, options: { cas: 5 } },
    });
    expect(stale.status).toBe(400);
    const good = await call(vault.url, 'POST', path, {
      ...root(),
      body: { data: { v: 2 }, options: { cas: 1 } },
    });
    expect(good.body.data.version).toBe(2);
    const bad = await call(vault.url, 'POST', path, {
      ...root(),
      body: { data: { v: 3 }, options: { cas: 'x' } },
    });
    expect(bad.body).toEqual({ errors: ['error parsing check-and-set parameter'] });
    const noData = await call(vault.url, 'POST', path, { ...root(), body: { options: {} } });
    expect(noData).toEqual({ status: 400, body: { errors: ['no data provided'] } });
  });

  it('soft-deletes, undeletes and destroys versions', async () => {
    const path = 'life/key';
    await call(vault.url, 'POST', `/v1/secret/data/${path}`, {
      ...root(),
      body: { data: { x: 1 } },
    });
    const del = await call(vault.url, 'DELETE', `/v1/secret/data/${path}`, root());
    expect(del.status).toBe(204);
    const gone = await call(vault.url, 'GET', `/v1/secret/data/${path}`, root());
    expect(gone.status).toBe(404);
    expect(gone.body.data.data).toBeNull();
    expect(gone.body.data.metadata.deletion_time).not.toBe('');
    // A soft-deleted key still has a current version: cas=0 fails, cas=1 works.
    const cas0 = await call(vault.url, 'POST', `/v1/secret/data/${path}`, {
      ...root(),
      body: { data: { x: 2 }, options: { cas: 0 } },
    });
    expect(cas0.status).toBe(400);

    const undel = await call(vault.url, 'POST', `/v1/secret/undelete/${path}`, {
      ...root(),
      body: { versions: [1] },
    });
    expect(undel.status).toBe(204);
    expect(
      (await call(vault.url, 'GET', `/v1/secret/data/${path}`, root())).body.data.data,
    ).toEqual({ x: 1 });

    await call(vault.url, 'POST', `/v1/secret/destroy/${path}`, {
      ...root(),
      body: { versions: [1] },
    });
    const destroyed = await call(vault.url, 'GET', `/v1/secret/data/${path}`, root());
    expect(destroyed.status).toBe(404);
    expect(destroyed.body.data.metadata.destroyed).toBe(true);
    expect(
      (await call(vault.url, 'POST', `/v1/secret/delete/${path}`, { ...root(), body: {} })).body,
    ).toEqual({
      errors: ['no version number provided'],
    });
  });

  it('lists folders with a trailing slash, by LIST and GET ?list=true, 404 when empty', async () => {
    for (const p of ['tree/a', 'tree/b', 'tree/sub/c']) {
      await call(vault.url, 'POST', `/v1/secret/data/${p}`, { ...root(), body: { data: { p } } });
    }
    const listed = await call(vault.url, 'LIST', '/v1/secret/metadata/tree', root());
    expect(listed.status).toBe(200);
    expect(listed.body.data.keys).toEqual(['a', 'b', 'sub/']);
    const viaGet = await call(vault.url, 'GET', '/v1/secret/metadata/tree/?list=true', root());
    expect(viaGet.body.data.keys).toEqual(['a', 'b', 'sub/']);
    const empty = await call(vault.url, 'GET', '/v1/secret/metadata/nothing?list=true', root());
    expect(empty).toEqual({ status: 404, body: { errors: [] } });
  });

  it('reads metadata and deletes every version with metadata DELETE', async () => {
    const p = 'meta/key';
    await call(vault.url, 'POST', `/v1/secret/data/${p}`, { ...root(), body: { data: { n: 1 } } });
    await call(vault.url, 'POST', `/v1/secret/data/${p}`, { ...root(), body: { data: { n: 2 } } });
    const meta = await call(vault.url, 'GET', `/v1/secret/metadata/${p}`, root());
    expect(meta.body.data).toMatchObject({ current_version: 2, oldest_version: 1 });
    expect(Object.keys(meta.body.data.versions)).toEqual(['1', '2']);
    expect((await call(vault.url, 'DELETE', `/v1/secret/metadata/${p}`, root())).status).toBe(204);
    expect((await call(vault.url, 'GET', `/v1/secret/metadata/${p}`, root())).status).toBe(404);
    const fresh = await call(vault.url, 'POST', `/v1/secret/data/${p}`, {
      ...root(),
      body: { data: { n: 3 }, options: { cas: 0 } },
    });
    expect(fresh.body.data.version).toBe(1);
  });

  it('keeps namespaces apart', async () => {
    await call(vault.url, 'POST', '/v1/secret/data/shared', {
      ...root(),
      namespace: 'team-a',
      body: { data: { t: 'a' } },
    });
    expect((await call(vault.url, 'GET', '/v1/secret/data/shared', root())).status).toBe(404);
    const inA = await call(vault.url, 'GET', '/v1/secret/data/shared', {
      ...root(),
      namespace: 'team-a/',
    });
    expect(inA.body.data.data).toEqual({ t: 'a' });
    expect(
      (await call(vault.url, 'GET', '/v1/secret/data/shared', { ...root(), namespace: 'team-b' }))
        .status,
    ).toBe(404);
  });

  it('answers unknown routes as Vault does', async () => {
    const r = await call(vault.url, 'GET', '/v1/other/thing', root());
    expect(r).toEqual({
      status: 404,
      body: { errors: ['no handler for route "other/thing". route entry not found.'] },
    });
  });
});
