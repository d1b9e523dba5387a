import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVaultServer, type VaultServer } from '../src/index.ts';
import { call } from './helpers.ts';

let vault: VaultServer;
let clock = Date.now();

beforeAll(async () => {
  vault = await startVaultServer({
    now: () => clock,
    namespaces: ['tenant'],
    policies: {
      reader: { 'secret/data/app/*': ['read'], 'secret/metadata/app/*': ['list'] },
      writer: { 'secret/data/app/*': ['create', 'read'], 'secret/data/app/locked': ['read'] },
      nsonly: { 'tenant/secret/data/*': ['create', 'read', 'update'] },
    },
  });
  await call(vault.url, 'POST', '/v1/secret/data/app/x', {
    token: vault.rootToken,
    body: { data: { a: 1 } },
  });
});
afterAll(() => vault.close());

const denied = { status: 403, body: { errors: ['permission denied'] } };

describe('tokens', () => {
  it('refuses requests without, with unknown, or with expired tokens', async () => {
    expect(await call(vault.url, 'GET', '/v1/secret/data/app/x')).toEqual(denied);
    expect(await call(vault.url, 'GET', '/v1/secret/data/app/x', { token: 'hvs.nope' })).toEqual(
      denied,
    );
    const short = vault.createToken('reader', 10);
    expect((await call(vault.url, 'GET', '/v1/secret/data/app/x', { token: short })).status).toBe(
      200,
    );
    clock += 11_000;
    expect(await call(vault.url, 'GET', '/v1/secret/data/app/x', { token: short })).toEqual(denied);
  });

  it('looks up and renews itself within its max TTL', async () => {
    const token = vault.createToken('reader', 60, { maxTtl: 100 });
    const look = await call(vault.url, 'GET', '/v1/auth/token/lookup-self', { token });
    expect(look.body.data).toMatchObject({
      ttl: 60,
      renewable: true,
      policies: ['reader'],
      creation_ttl: 60,
    });
    clock += 50_000;
    const renewed = await call(vault.url, 'POST', '/v1/auth/token/renew-self', {
      token,
      body: { increment: '1m' },
    });
    expect(renewed.body.auth).toMatchObject({
      client_token: token,
      lease_duration: 50,
      renewable: true,
    });
    expect(renewed.body.warnings?.[0]).toContain('max_ttl');
    const root = await call(vault.url, 'POST', '/v1/auth/token/renew-self', {
      token: vault.rootToken,
    });
    expect(root).toEqual({ status: 400, body: { errors: ['lease is not renewable'] } });
  });
});

describe('policies', () => {
  it('answers 403 outside the grant and picks create vs update by existence', async () => {
    const reader = vault.createToken('reader');
    expect(
      await call(vault.url, 'POST', '/v1/secret/data/app/x', { token: reader, body: { data: {} } }),
    ).toEqual(denied);
    expect(
      (await call(vault.url, 'GET', '/v1/secret/metadata/app?list=true', { token: reader })).status,
    ).toBe(200);
    expect(await call(vault.url, 'GET', '/v1/secret/data/other', { token: reader })).toEqual(
      denied,
    );

    const writer = vault.createToken('writer');
    expect(
      (
        await call(vault.url, 'POST', '/v1/secret/data/app/new', {
          token: writer,
          body: { data: {} },
        })
      ).status,
    ).toBe(200);
    // exists now: update is needed, and writer only has create
    expect(
      await call(vault.url, 'POST', '/v1/secret/data/app/new', {
        token: writer,
        body: { data: {} },
      }),
    ).toEqual(denied);
    // the exact path wins over the glob
    expect(
      await call(vault.url, 'POST', '/v1/secret/data/app/locked', {
        token: writer,
        body: { data: {} },
      }),
    ).toEqual(denied);
  });

  it('checks namespaced requests against the namespace-prefixed path', async () => {
    const token = vault.createToken('nsonly');
    const body = { data: { a: 1 } };
    expect(
      (await call(vault.url, 'POST', '/v1/secret/data/k', { token, namespace: 'tenant', body }))
        .status,
    ).toBe(200);
    expect(await call(vault.url, 'POST', '/v1/secret/data/k', { token, body })).toEqual(denied);
    expect(
      (await call(vault.url, 'GET', '/v1/secret/data/k', { token, namespace: 'ghost' })).status,
    ).toBe(404);
  });
});

describe('login methods', () => {
  it('logs in with AppRole and refuses a wrong secret id', async () => {
    const { roleId, secretId } = vault.approle;
    const good = await call(vault.url, 'POST', '/v1/auth/approle/login', {
      body: { role_id: roleId, secret_id: secretId },
    });
    expect(good.status).toBe(200);
    expect(good.body.auth).toMatchObject({ lease_duration: 3600, renewable: true });
    const token = good.body.auth.client_token as string;
    expect((await call(vault.url, 'GET', '/v1/secret/data/app/x', { token })).status).toBe(200);
    const bad = await call(vault.url, 'POST', '/v1/auth/approle/login', {
      body: { role_id: roleId, secret_id: 'wrong' },
    });
    expect(bad).toEqual({ status: 400, body: { errors: ['invalid role or secret ID'] } });
  });

  it('logs in with Kubernetes and refuses a wrong role or JWT', async () => {
    const { role, jwt } = vault.kubernetes;
    const good = await call(vault.url, 'POST', '/v1/auth/kubernetes/login', {
      body: { role, jwt },
    });
    expect(good.body.auth.client_token).toMatch(/^hvs\./);
    expect(
      (await call(vault.url, 'POST', '/v1/auth/kubernetes/login', { body: { role: 'x', jwt } }))
        .body,
    ).toEqual({
      errors: ['invalid role name "x"'],
    });
    expect(
      await call(vault.url, 'POST', '/v1/auth/kubernetes/login', { body: { role, jwt: 'a.b.c' } }),
    ).toEqual(denied);
  });
});

describe('seal', () => {
  it('answers 503 Vault is sealed for everything but health, until unsealed', async () => {
    vault.seal();
    try {
      expect(
        await call(vault.url, 'GET', '/v1/secret/data/app/x', { token: vault.rootToken }),
      ).toEqual({
        status: 503,
        body: { errors: ['Vault is sealed'] },
      });
      expect((await call(vault.url, 'POST', '/v1/auth/approle/login', { body: {} })).status).toBe(
        503,
      );
      const health = await call(vault.url, 'GET', '/v1/sys/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ sealed: true, initialized: true });
    } finally {
      vault.unseal();
    }
    expect((await call(vault.url, 'GET', '/v1/sys/health')).body.sealed).toBe(false);
    expect(
      (await call(vault.url, 'GET', '/v1/secret/data/app/x', { token: vault.rootToken })).status,
    ).toBe(200);
  });
});
