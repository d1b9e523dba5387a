// MCP scope selection: re-authorizing after a 401 asks for the challenged scopes with those already held.
import { describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';
import type { TokensRecord } from '../../src/store/records.ts';
import { exampleAs, ISSUER, RESOURCE } from '../support/example-as.ts';
import { fakeServer, json } from '../support/fake-server.ts';
import { seedLogin } from '../support/seed.ts';

const PRM = 'https://mcp.example/.well-known/oauth-protected-resource/mcp';
const REDIRECT = 'http://127.0.0.1:9/callback';
const as = exampleAs();

async function rejectedOnce(tokens: Partial<TokensRecord>, error = 'invalid_token') {
  const server = fakeServer({
    'GET /.well-known/oauth-protected-resource/mcp': () =>
      json({
        resource: RESOURCE,
        authorization_servers: [ISSUER],
        scopes_supported: ['mcp:read', 'mcp:write', 'mcp:admin'],
      }),
    'GET /.well-known/oauth-authorization-server': () => json(as),
    'GET /authorize': ({ url }) => {
      const state = new URL(url).searchParams.get('state') ?? '';
      return new Response(null, {
        status: 302,
        headers: { location: `${REDIRECT}?code=c2&state=${state}` },
      });
    },
    'POST /token': ({ form }) =>
      form.get('grant_type') === 'refresh_token'
        ? json({ error: 'invalid_grant' }, 400)
        : json({ access_token: 'at-2', token_type: 'Bearer', expires_in: 3600 }),
    'POST /mcp': ({ headers }) =>
      headers.get('authorization') === 'Bearer at-2'
        ? json({ ok: true })
        : new Response(null, {
            status: 401,
            headers: {
              'www-authenticate': `Bearer error="${error}", scope="mcp:write", resource_metadata="${PRM}"`,
            },
          }),
  });
  const store = memoryStore();
  await seedLogin(store, {
    resource: RESOURCE,
    as,
    client: {},
    tokens: {
      accessToken: 'at-1',
      scope: 'mcp:read',
      expiresAt: Date.now() + 3_600_000,
      ...tokens,
    },
    scopesSupported: ['mcp:read', 'mcp:write', 'mcp:admin'],
  });
  const client = createOAuthClient({
    serverUrl: RESOURCE,
    store,
    fetch: server.fetch,
    interaction: headlessInteraction({ redirectUri: REDIRECT, fetch: server.fetch }),
  });
  const response = await client.fetch(RESOURCE, { method: 'POST', body: '{}' });
  const authorizations = server.requests.filter((r) => new URL(r.url).pathname === '/authorize');
  return { response, server, authorizations };
}

describe('re-authorization after a 401 (MCP scope selection)', () => {
  it('asks for the scopes already granted together with the challenged ones', async () => {
    const { response, authorizations } = await rejectedOnce({});
    expect(response.status).toBe(200);
    expect(authorizations).toHaveLength(1);
    expect(new URL(authorizations[0]?.url ?? '').searchParams.get('scope')).toBe(
      'mcp:read mcp:write',
    );
  });

  it('also when a refresh was tried first and its refresh token was refused', async () => {
    const { response, server, authorizations } = await rejectedOnce({ refreshToken: 'rt-1' });
    expect(response.status).toBe(200);
    expect(server.requests.some((r) => r.form.get('grant_type') === 'refresh_token')).toBe(true);
    expect(new URL(authorizations[0]?.url ?? '').searchParams.get('scope')).toBe(
      'mcp:read mcp:write',
    );
  });

  it('a 401 insufficient_scope for scopes not held: no refresh (it cannot widen the grant), an authorization for them', async () => {
    const { response, server, authorizations } = await rejectedOnce(
      { refreshToken: 'rt-1' },
      'insufficient_scope',
    );
    expect(response.status).toBe(200);
    expect(server.requests.some((r) => r.form.get('grant_type') === 'refresh_token')).toBe(false);
    expect(new URL(authorizations[0]?.url ?? '').searchParams.get('scope')).toBe(
      'mcp:read mcp:write',
    );
  });
});
