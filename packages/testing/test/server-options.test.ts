import { createHash, randomBytes } from 'node:crypto';
import { obtainTokens, startMcpOAuthServers } from '@mcp-oauth/testing';
import { describe, expect, it } from 'vitest';
import { callTool, getJson, postForm, refresh } from './helpers.ts';

describe('DPoP modes', () => {
  it("'off': neither server advertises DPoP", async () => {
    await using servers = await startMcpOAuthServers({ dpop: 'off' });
    const as = await getJson(`${servers.issuer}/.well-known/oauth-authorization-server`);
    const rs = await getJson(servers.resourceMetadataUrl);
    expect(as.body.dpop_signing_alg_values_supported).toBeUndefined();
    expect(rs.body.dpop_signing_alg_values_supported).toBeUndefined();
  });

  it("'accepted': both advertise DPoP, and Bearer tokens still work", async () => {
    await using servers = await startMcpOAuthServers({ dpop: 'accepted' });
    const as = await getJson(`${servers.issuer}/.well-known/oauth-authorization-server`);
    const rs = await getJson(servers.resourceMetadataUrl);
    expect(as.body.dpop_signing_alg_values_supported).toContain('ES256');
    expect(rs.body.dpop_signing_alg_values_supported).toContain('ES256');
    expect(rs.body.dpop_bound_access_tokens_required).toBeUndefined();
    const tokens = await obtainTokens({ issuer: servers.issuer, resource: servers.mcpUrl });
    expect((await callTool(servers.mcpUrl, tokens.accessToken, 'echo', { text: 'x' })).status).toBe(
      200,
    );
  });

  it("'required': the MCP server says so and refuses a Bearer token with a DPoP challenge", async () => {
    await using servers = await startMcpOAuthServers({ dpop: 'required' });
    const rs = await getJson(servers.resourceMetadataUrl);
    expect(rs.body.dpop_bound_access_tokens_required).toBe(true);
    const tokens = await obtainTokens({ issuer: servers.issuer, resource: servers.mcpUrl });
    const call = await callTool(servers.mcpUrl, tokens.accessToken, 'echo', { text: 'x' });
    expect(call.status).toBe(401);
    expect(call.headers.get('www-authenticate')).toMatch(/^DPoP /);
    expect(servers.counters.unauthorized).toBe(1);
  });
});

describe('registration', () => {
  it('DCR off with a pre-registered client: no registration endpoint, the client logs in', async () => {
    await using servers = await startMcpOAuthServers({
      registration: false,
      clients: [
        {
          client_id: 'my-app',
          token_endpoint_auth_method: 'none',
          application_type: 'native',
          redirect_uris: ['http://127.0.0.1/callback'],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
        },
      ],
    });
    const meta = (await getJson(`${servers.issuer}/.well-known/oauth-authorization-server`)).body;
    expect(meta.registration_endpoint).toBeUndefined();
    const verifier = randomBytes(32).toString('base64url');
    const url = new URL(String(meta.authorization_endpoint));
    url.search = new URLSearchParams({
      client_id: 'my-app',
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1:5555/callback',
      scope: 'mcp:read',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      resource: servers.mcpUrl,
    }).toString();
    const code = new URL(await servers.approve(url)).searchParams.get('code');
    const tokens = await postForm(String(meta.token_endpoint), {
      grant_type: 'authorization_code',
      client_id: 'my-app',
      code: String(code),
      redirect_uri: 'http://127.0.0.1:5555/callback',
      code_verifier: verifier,
    });
    expect(tokens.status).toBe(200);
    expect(servers.counters).toMatchObject({ registrations: 0, authorizations: 1 });
  });

  it('forgetClients(): a registered client is unknown afterwards (invalid_client)', async () => {
    await using servers = await startMcpOAuthServers();
    const tokens = await obtainTokens({ issuer: servers.issuer, resource: servers.mcpUrl });
    expect(await servers.forgetClients()).toEqual([tokens.clientId]);
    const after = await refresh(servers.issuer, tokens.clientId, String(tokens.refreshToken));
    expect(after.body.error).toBe('invalid_client');
  });
});

describe('scopes per tool (step-up)', () => {
  it('a tool call with a token lacking the tool scope gets 403 insufficient_scope naming it', async () => {
    await using servers = await startMcpOAuthServers({ toolScopes: { add: 'mcp:write' } });
    const read = await obtainTokens({ issuer: servers.issuer, resource: servers.mcpUrl });
    const denied = await callTool(servers.mcpUrl, read.accessToken, 'add', { a: 1, b: 2 });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(denied.headers.get('www-authenticate')).toContain('scope="mcp:read mcp:write"');
    expect(servers.counters.forbidden).toBe(1);
    const write = await obtainTokens({
      issuer: servers.issuer,
      resource: servers.mcpUrl,
      scope: 'mcp:read mcp:write',
    });
    expect((await callTool(servers.mcpUrl, write.accessToken, 'add', { a: 1, b: 2 })).status).toBe(
      200,
    );
  });
});
