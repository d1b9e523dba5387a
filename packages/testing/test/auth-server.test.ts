import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthServer,
  completeAuthorization,
  obtainTokens,
  startAuthorizationServer,
} from '../src/index.ts';
import { basic, getJson, type Json, jwtPayload, pkce, postForm } from './helpers.ts';

const RESOURCE = 'http://127.0.0.1:65000/mcp';

describe('startAuthorizationServer', () => {
  let as: AuthServer;
  let meta: Json;
  const keyPair = generateKeyPair('ES256', { extractable: true });

  beforeAll(async () => {
    const publicJwk = { ...(await exportJWK((await keyPair).publicKey)), kid: 'k1', alg: 'ES256' };
    as = await startAuthorizationServer({
      clients: [
        {
          client_id: 'jwt-client',
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'private_key_jwt',
          token_endpoint_auth_signing_alg: 'ES256',
          jwks: { keys: [publicJwk as never] },
        },
        {
          client_id: 'confidential',
          client_secret: 'confidential-secret',
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
    });
    meta = (await getJson(`${as.issuer}/.well-known/openid-configuration`)).body;
  });
  afterAll(() => as.close());

  it('publishes discovery with PKCE, DCR, device, revocation, introspection and RFC 9207', async () => {
    expect(meta.issuer).toBe(as.issuer);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.registration_endpoint).toBe(`${as.issuer}/reg`);
    expect(meta.device_authorization_endpoint).toBe(`${as.issuer}/device/auth`);
    expect(meta.revocation_endpoint).toBe(`${as.issuer}/token/revocation`);
    expect(meta.introspection_endpoint).toBe(`${as.issuer}/token/introspection`);
    expect(meta.authorization_response_iss_parameter_supported).toBe(true);
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['offline_access', 'mcp:admin']));
    // oidc-provider's own default: DPoP is advertised, whatever the resource servers accept
    expect(meta.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256']));
    const rfc8414 = await getJson(`${as.url}/.well-known/oauth-authorization-server`);
    expect(rfc8414.status).toBe(200);
    expect(rfc8414.body.issuer).toBe(as.issuer);
  });

  it('registers a client, authorizes with PKCE and issues a JWT for the resource', async () => {
    as.resetStats();
    const redirectUri = 'http://127.0.0.1:53123/callback';
    const reg = await fetch(String(meta.registration_endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'none',
      }),
    });
    expect(reg.status).toBe(201);
    const client = (await reg.json()) as Json;
    expect(client.registration_access_token).toEqual(expect.any(String));
    const { verifier, challenge } = pkce();
    const authorize = new URL(String(meta.authorization_endpoint));
    authorize.search = new URLSearchParams({
      client_id: String(client.client_id),
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'mcp:read mcp:write',
      state: 'state-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: RESOURCE,
    }).toString();
    const callback = new URL(await completeAuthorization(authorize));
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('state-1');
    expect(callback.searchParams.get('iss')).toBe(as.issuer);
    const token = await postForm(String(meta.token_endpoint), {
      grant_type: 'authorization_code',
      client_id: String(client.client_id),
      code: String(callback.searchParams.get('code')),
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(token.status).toBe(200);
    expect(token.body.refresh_token).toEqual(expect.any(String));
    const claims = jwtPayload(String(token.body.access_token));
    expect(claims).toMatchObject({
      iss: as.issuer,
      aud: RESOURCE,
      sub: 'user-1',
      client_id: client.client_id,
      scope: 'mcp:read mcp:write',
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    expect(as.stats).toMatchObject({ registrations: 1, authorizations: 1 });
    expect(as.stats.tokenRequests).toEqual({ authorization_code: 1 });
    expect(as.stats.requests.byPath).toMatchObject({ '/reg': 1, '/auth': 1, '/token': 1 });
  });

  it('rotates refresh tokens and revokes the grant when a rotated one is reused', async () => {
    const tokens = await obtainTokens({ issuer: as.issuer, resource: RESOURCE });
    as.resetStats();
    const refresh = (refreshToken: string) =>
      postForm(String(meta.token_endpoint), {
        grant_type: 'refresh_token',
        client_id: tokens.clientId,
        refresh_token: refreshToken,
      });
    const first = await refresh(String(tokens.refreshToken));
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(tokens.refreshToken);
    expect(jwtPayload(String(first.body.access_token)).aud).toBe(RESOURCE);
    const reused = await refresh(String(tokens.refreshToken));
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const afterRevocation = await refresh(String(first.body.refresh_token));
    expect(afterRevocation.body.error).toBe('invalid_grant');
    expect(as.stats.refreshSuccess).toBe(1);
    expect(as.stats.invalidGrant).toBe(2);
    expect(as.stats.tokenRequests).toEqual({ refresh_token: 3 });
    expect(as.stats.grantsRevoked).toBe(1);
  });

  it('approves a device authorization so that polling gets tokens', async () => {
    const reg = await fetch(String(meta.registration_endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        application_type: 'native',
        redirect_uris: [],
        response_types: [],
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
        token_endpoint_auth_method: 'none',
      }),
    });
    const client = (await reg.json()) as Json;
    expect(reg.status, JSON.stringify(client)).toBe(201);
    const device = await postForm(String(meta.device_authorization_endpoint), {
      client_id: String(client.client_id),
      scope: 'mcp:read',
      resource: RESOURCE,
    });
    expect(device.status).toBe(200);
    expect(device.body.verification_uri).toBe(as.deviceVerificationUri);
    const poll = () =>
      postForm(String(meta.token_endpoint), {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        client_id: String(client.client_id),
        device_code: String(device.body.device_code),
      });
    expect((await poll()).body.error).toBe('authorization_pending');
    await as.approveDevice(String(device.body.user_code));
    const tokens = await poll();
    expect(tokens.status).toBe(200);
    expect(jwtPayload(String(tokens.body.access_token))).toMatchObject({
      aud: RESOURCE,
      scope: 'mcp:read',
    });
    await expect(as.approveDevice('BCDF-GHJK')).rejects.toThrow(/device approval failed/);
  });

  it('issues client_credentials tokens for a resource to a pre-registered client', async () => {
    const token = await postForm(
      String(meta.token_endpoint),
      { grant_type: 'client_credentials', scope: 'mcp:read', resource: RESOURCE },
      basic('confidential', 'confidential-secret'),
    );
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    expect(jwtPayload(String(token.body.access_token))).toMatchObject({
      aud: RESOURCE,
      client_id: 'confidential',
      scope: 'mcp:read',
    });
  });

  it('authenticates a pre-registered private_key_jwt client', async () => {
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('jwt-client')
      .setSubject('jwt-client')
      .setAudience(as.issuer)
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign((await keyPair).privateKey);
    const token = await postForm(String(meta.token_endpoint), {
      grant_type: 'client_credentials',
      scope: 'mcp:write',
      resource: RESOURCE,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    expect(jwtPayload(String(token.body.access_token))).toMatchObject({
      client_id: 'jwt-client',
      scope: 'mcp:write',
    });
  });

  it('accepts openid and offline_access beside resource scopes', async () => {
    const tokens = await obtainTokens({
      issuer: as.issuer,
      resource: RESOURCE,
      scope: 'openid offline_access mcp:read',
    });
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.raw.id_token).toEqual(expect.any(String));
    expect(jwtPayload(tokens.accessToken)).toMatchObject({ aud: RESOURCE, scope: 'mcp:read' });
  });

  it('registers a confidential client_credentials client dynamically', async () => {
    const reg = await fetch(String(meta.registration_endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_post',
      }),
    });
    const client = (await reg.json()) as Json;
    expect(reg.status, JSON.stringify(client)).toBe(201);
    const token = await postForm(String(meta.token_endpoint), {
      grant_type: 'client_credentials',
      client_id: String(client.client_id),
      client_secret: String(client.client_secret),
      scope: 'mcp:read mcp:write',
      resource: RESOURCE,
    });
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    expect(jwtPayload(String(token.body.access_token)).scope).toBe('mcp:read mcp:write');
  });

  it('introspects and revokes refresh tokens', async () => {
    const tokens = await obtainTokens({ issuer: as.issuer, resource: RESOURCE });
    as.resetStats();
    expect(await as.introspect(String(tokens.refreshToken))).toMatchObject({
      active: true,
      client_id: tokens.clientId,
    });
    const revoked = await postForm(String(meta.revocation_endpoint), {
      client_id: tokens.clientId,
      token: String(tokens.refreshToken),
    });
    expect(revoked.status).toBe(200);
    expect(await as.introspect(String(tokens.refreshToken))).toEqual({ active: false });
    expect(as.stats.revocations).toBe(1);
    expect(as.stats.requests.total).toBe(1);
  });

  it('completeAuthorization explains a walk that ends on an error page', async () => {
    const authorize = new URL(String(meta.authorization_endpoint));
    authorize.search = new URLSearchParams({
      client_id: 'no-such-client',
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1/callback',
    }).toString();
    await expect(completeAuthorization(authorize)).rejects.toThrow(
      /did not end with a redirect to the client: 400 .*invalid_client/,
    );
  });
});

describe('startAuthorizationServer options', () => {
  it('serves a path issuer at both RFC 8414 (path insertion) and OIDC locations', async () => {
    const as = await startAuthorizationServer({ issuerPath: '/realms/demo', dpop: true });
    try {
      expect(as.issuer).toBe(`${as.url}/realms/demo`);
      const rfc8414 = await getJson(`${as.url}/.well-known/oauth-authorization-server/realms/demo`);
      const oidc = await getJson(`${as.issuer}/.well-known/openid-configuration`);
      expect(rfc8414.body).toEqual(oidc.body);
      expect(oidc.body.issuer).toBe(as.issuer);
      expect(oidc.body.token_endpoint).toBe(`${as.issuer}/token`);
      expect(oidc.body.dpop_signing_alg_values_supported).toEqual(expect.any(Array));
      const tokens = await obtainTokens({ issuer: as.issuer, resource: RESOURCE });
      expect(jwtPayload(tokens.accessToken).iss).toBe(as.issuer);
    } finally {
      await as.close();
    }
  });

  it("discovery 'none': every metadata URL answers 404, the endpoints still work", async () => {
    const as = await startAuthorizationServer({ discovery: 'none', issuerPath: '/realms/demo' });
    try {
      for (const url of [
        `${as.url}/.well-known/oauth-authorization-server/realms/demo`,
        `${as.url}/.well-known/openid-configuration/realms/demo`,
        `${as.issuer}/.well-known/openid-configuration`,
        `${as.issuer}/.well-known/oauth-authorization-server`,
      ])
        expect((await fetch(url)).status, url).toBe(404);
      const registered = await fetch(`${as.issuer}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: ['http://127.0.0.1/callback'],
          token_endpoint_auth_method: 'none',
          application_type: 'native',
        }),
      });
      expect(registered.status).toBe(201);
    } finally {
      await as.close();
    }
  });

  it('oidc-only discovery, denied consent, no rotation, short access tokens', async () => {
    const as = await startAuthorizationServer({
      discovery: 'oidc-only',
      refreshTokenRotation: false,
      accessTokenTtlSeconds: 5,
    });
    const denying = await startAuthorizationServer({ denyConsent: true });
    try {
      expect((await fetch(`${as.url}/.well-known/oauth-authorization-server`)).status).toBe(404);
      const tokens = await obtainTokens({ issuer: as.issuer, resource: RESOURCE });
      expect(tokens.expiresIn).toBe(5);
      for (let i = 0; i < 2; i += 1) {
        const refreshed = await postForm(`${as.issuer}/token`, {
          grant_type: 'refresh_token',
          client_id: tokens.clientId,
          refresh_token: String(tokens.refreshToken),
        });
        expect(refreshed.body.refresh_token).toBe(tokens.refreshToken);
      }
      await expect(obtainTokens({ issuer: denying.issuer })).rejects.toThrow(/access_denied/);
    } finally {
      await Promise.all([as.close(), denying.close()]);
    }
  });

  it('deviceFlow: false starts without the device flow (as oidc-provider by default)', async () => {
    const as = await startAuthorizationServer({ deviceFlow: false });
    try {
      const meta = await getJson(`${as.issuer}/.well-known/oauth-authorization-server`);
      expect(meta.body.device_authorization_endpoint).toBeUndefined();
      expect(as.deviceVerificationUri).toBeUndefined();
      await expect(as.approveDevice('BCDF-GHJK')).rejects.toThrow(/deviceFlow: false/);
      // the rest works
      expect(
        (await obtainTokens({ issuer: as.issuer, resource: RESOURCE })).accessToken,
      ).toBeTruthy();
    } finally {
      await as.close();
    }
  });
});
