import { inspect } from 'node:util';
import { obtainTokens, startMcpOAuthServers } from '@mcp-oauth/testing';
import { describe, expect, it } from 'vitest';
import { callTool, getJson, postForm } from './helpers.ts';

describe('startMcpOAuthServers', () => {
  it('starts both servers on 127.0.0.1 ephemeral ports and counts a login and a call', async () => {
    await using servers = await startMcpOAuthServers();
    expect(servers.mcpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(servers.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(servers.issuer).port).not.toBe(new URL(servers.mcpUrl).port);
    const metadata = await getJson(servers.resourceMetadataUrl);
    expect(metadata.body).toMatchObject({
      resource: servers.mcpUrl,
      authorization_servers: [servers.issuer],
    });

    const tokens = await obtainTokens({ issuer: servers.issuer, resource: servers.mcpUrl });
    const call = await callTool(servers.mcpUrl, tokens.accessToken, 'echo', { text: 'hi' });
    expect(call.status).toBe(200);
    expect(servers.counters).toMatchObject({
      registrations: 1,
      authorizations: 1,
      tokenRequests: 1,
      refreshes: 0,
      invalidGrant: 0,
      mcpRequests: 1,
      unauthorized: 0,
    });
    // printed and serialized as their values, not as getters
    expect(inspect(servers.counters)).toContain('registrations: 1');
    expect(inspect(servers.counters)).not.toContain('Getter');
    expect(JSON.parse(JSON.stringify(servers.counters))).toMatchObject({ authorizations: 1 });
    servers.resetCounters();
    expect(servers.counters).toMatchObject({ registrations: 0, authorizations: 0, mcpRequests: 0 });
  });

  it('closes both servers at the end of an `await using` block (no connection accepted after)', async () => {
    let mcpUrl = '';
    let issuer = '';
    {
      await using servers = await startMcpOAuthServers();
      ({ mcpUrl, issuer } = servers);
      // a keep-alive connection is open when the block ends
      expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(200);
    }
    await expect(fetch(mcpUrl)).rejects.toThrow(TypeError);
    await expect(fetch(`${issuer}/.well-known/openid-configuration`)).rejects.toThrow(TypeError);
  });

  it('close() may be called twice', async () => {
    const servers = await startMcpOAuthServers();
    await servers.close();
    await expect(servers.close()).resolves.toBeUndefined();
  });

  it('approve() completes the consent and returns the redirect with code, state and iss', async () => {
    await using servers = await startMcpOAuthServers();
    const meta = (await getJson(`${servers.issuer}/.well-known/oauth-authorization-server`)).body;
    const registered = await fetch(String(meta.registration_endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1/callback'],
        token_endpoint_auth_method: 'none',
      }),
    });
    const { client_id } = (await registered.json()) as { client_id: string };
    const url = new URL(String(meta.authorization_endpoint));
    url.search = new URLSearchParams({
      client_id,
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1:4711/callback',
      scope: 'mcp:read',
      state: 'xyz',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      resource: servers.mcpUrl,
    }).toString();
    const callback = new URL(await servers.approve(url));
    expect(callback.origin + callback.pathname).toBe('http://127.0.0.1:4711/callback');
    expect(callback.searchParams.get('state')).toBe('xyz');
    expect(callback.searchParams.get('iss')).toBe(servers.issuer);
    expect(callback.searchParams.get('code')).toBeTruthy();
    expect(servers.counters.authorizations).toBe(1);
  });

  it('approveDevice() approves a device authorization: polling then gets tokens', async () => {
    await using servers = await startMcpOAuthServers();
    const meta = (await getJson(`${servers.issuer}/.well-known/oauth-authorization-server`)).body;
    const registered = await fetch(String(meta.registration_endpoint), {
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
    const { client_id } = (await registered.json()) as { client_id: string };
    const device = await postForm(String(meta.device_authorization_endpoint), {
      client_id,
      scope: 'mcp:read',
      resource: servers.mcpUrl,
    });
    expect(device.body.verification_uri).toBe(servers.deviceVerificationUri);
    const poll = () =>
      postForm(String(meta.token_endpoint), {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        client_id,
        device_code: String(device.body.device_code),
      });
    expect((await poll()).body.error).toBe('authorization_pending');
    await servers.approveDevice(String(device.body.user_code));
    const tokens = await poll();
    expect(tokens.status).toBe(200);
    expect(typeof tokens.body.access_token).toBe('string');
  });
});
