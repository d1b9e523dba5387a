import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthServer,
  endlessBody,
  repeatedBody,
  startAuthorizationServer,
  startStaticServer,
} from '../src/index.ts';
import type { Json } from './helpers.ts';

describe('startStaticServer', () => {
  let as: AuthServer;
  beforeAll(async () => {
    as = await startAuthorizationServer();
  });
  afterAll(() => as.close());

  it('serves a tampered metadata document and proxies everything else to the real server', async () => {
    const real = (await (
      await fetch(`${as.issuer}/.well-known/openid-configuration`)
    ).json()) as Json;
    const { code_challenge_methods_supported: _dropped, ...withoutPkce } = real;
    const server = await startStaticServer({
      proxyTo: as.url,
      routes: (origin) => ({
        '/.well-known/oauth-authorization-server': { body: { ...withoutPkce, issuer: origin } },
        '/.well-known/openid-configuration': { body: { ...real, issuer: 'https://wrong.example' } },
      }),
    });
    try {
      const tampered = (await (
        await fetch(`${server.url}/.well-known/oauth-authorization-server`)
      ).json()) as Json;
      expect(tampered.issuer).toBe(server.url);
      expect(tampered.code_challenge_methods_supported).toBeUndefined();
      const oidc = (await (
        await fetch(`${server.url}/.well-known/openid-configuration`)
      ).json()) as Json;
      expect(oidc.issuer).toBe('https://wrong.example');
      const jwks = await fetch(`${server.url}/jwks`);
      expect(jwks.status).toBe(200);
      expect(((await jwks.json()) as Json).keys).toEqual(as.publicJwks.keys);
      const registration = await fetch(`${server.url}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: ['http://127.0.0.1/cb'],
          token_endpoint_auth_method: 'none',
        }),
      });
      expect(registration.status).toBe(201);
      expect(server.requests.byRoute).toMatchObject({ 'GET /jwks': 1, 'POST /reg': 1 });
    } finally {
      await server.close();
    }
  });

  it('serves HTML with 200, malformed JSON, 5 MB and endless bodies, and 404 otherwise', async () => {
    const server = await startStaticServer({
      routes: {
        '/html': { headers: { 'content-type': 'text/html' }, body: '<html>hi</html>' },
        '/malformed': { body: '{"issuer": "x",' },
        '/large': { body: repeatedBody(5 * 1024 * 1024) },
        '/endless': { body: endlessBody() },
        'POST /only-post': { status: 204 },
      },
    });
    try {
      const html = await fetch(`${server.url}/html`);
      expect([html.status, html.headers.get('content-type')]).toEqual([200, 'text/html']);
      await expect((await fetch(`${server.url}/malformed`)).json()).rejects.toThrow();
      const large = await (await fetch(`${server.url}/large`)).arrayBuffer();
      expect(large.byteLength).toBe(5 * 1024 * 1024);
      const controller = new AbortController();
      const endless = await fetch(`${server.url}/endless`, { signal: controller.signal });
      const reader = endless.body?.getReader();
      let received = 0;
      while (received < 1024 * 1024) received += (await reader?.read())?.value?.length ?? 0;
      controller.abort();
      expect(received).toBeGreaterThanOrEqual(1024 * 1024);
      expect((await fetch(`${server.url}/only-post`, { method: 'POST' })).status).toBe(204);
      expect((await fetch(`${server.url}/only-post`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
