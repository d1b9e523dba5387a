// RFC 7662 token introspection, client side: the request (§2.1), client authentication at the
// endpoint (§2.1), the response and its `active` member (§2.2), error responses (§2.3).
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { introspect } from '../../src/client/introspect-stored-token.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';
import type { ClientRecord } from '../../src/store/records.ts';
import type { StoreRecord } from '../../src/store/types.ts';
import { exampleAs, ISSUER, RESOURCE } from '../support/example-as.ts';
import { type FakeRoute, fakeServer, json } from '../support/fake-server.ts';
import { seedLogin } from '../support/seed.ts';

/** A client logged in at the example AS (which has an introspection endpoint) over a fake server. */
async function loggedIn(route: FakeRoute, client: Partial<ClientRecord> = {}) {
  const server = fakeServer({ 'POST /introspect': route });
  const store = memoryStore();
  await seedLogin(store, {
    resource: RESOURCE,
    as: exampleAs({ introspection_endpoint: `${ISSUER}/introspect` }),
    client,
    tokens: { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: Date.now() + 3_600_000 },
  });
  const oauth = createOAuthClient({ serverUrl: RESOURCE, store, fetch: server.fetch });
  return { oauth, server };
}

describe('RFC 7662 token introspection against oidc-provider', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a live refresh token is active and names its client; once the server drops it, it is inactive and nothing else is said', async () => {
    const store = memoryStore();
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
    });
    await oauth.authorize();
    const live = await introspect(oauth, 'refresh_token');
    expect(live.active).toBe(true);
    expect(live.clientId).toBe((await oauth.status())?.clientId);
    const [key] = await store.list('tokens:');
    const record = (await store.get(key as string)) as StoreRecord;
    await stack.as.provider.RefreshToken.find(String(record.refreshToken)).then((t) =>
      t?.destroy(),
    );
    expect(await introspect(oauth, 'refresh_token')).toEqual({ active: false });
  });
});

describe('RFC 7662 token introspection: the request and the response', () => {
  it('POSTs the token as a form, with its token_type_hint, to the introspection_endpoint of the metadata', async () => {
    const { oauth, server } = await loggedIn(() => json({ active: true }));
    await introspect(oauth, 'refresh_token');
    await introspect(oauth);
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([
      ['POST', `${ISSUER}/introspect`],
      ['POST', `${ISSUER}/introspect`],
    ]);
    const [refresh, access] = server.requests;
    expect(refresh?.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    expect(refresh?.form.get('token')).toBe('rt-1');
    expect(refresh?.form.get('token_type_hint')).toBe('refresh_token');
    expect(access?.form.get('token')).toBe('at-1');
    expect(access?.form.get('token_type_hint')).toBe('access_token');
    expect(new URL(refresh?.url ?? '').search).toBe(''); // the token never goes in the URL
  });

  it('authenticates the client as registered: client_id for a public client, HTTP Basic with the secret for a confidential one', async () => {
    const pub = await loggedIn(() => json({ active: true }));
    await introspect(pub.oauth);
    expect(pub.server.requests[0]?.form.get('client_id')).toBe('dyn');
    expect(pub.server.requests[0]?.headers.get('authorization')).toBeNull();

    const confidential = await loggedIn(() => json({ active: true }), {
      clientSecret: 's3cret',
      tokenEndpointAuthMethod: 'client_secret_basic',
    });
    await introspect(confidential.oauth);
    const [request] = confidential.server.requests;
    expect(request?.headers.get('authorization')).toBe(`Basic ${btoa('dyn:s3cret')}`);
    expect(request?.form.get('client_secret')).toBeNull();
  });

  it('reads active, scope, client_id, exp, sub and token_type of an active token, and returns no token', async () => {
    const { oauth } = await loggedIn(() =>
      json({
        active: true,
        scope: 'mcp:read',
        client_id: 'dyn',
        exp: 2_000_000_000,
        sub: 'user-1',
        token_type: 'Bearer',
        unknown_member: 'ignored',
      }),
    );
    expect(await introspect(oauth)).toEqual({
      active: true,
      scope: 'mcp:read',
      clientId: 'dyn',
      expiresAt: 2_000_000_000_000,
      subject: 'user-1',
      tokenType: 'Bearer',
    });
  });

  it('an active member that is not a boolean is refused as an invalid response, not read as active', async () => {
    const { oauth } = await loggedIn(() => json({ active: 'true' }));
    const error = await introspect(oauth).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_response')).toBe(true);
  });

  it('an error response (401 invalid_client) is introspection_failed naming the OAuth error', async () => {
    const { oauth } = await loggedIn(() =>
      json({ error: 'invalid_client', error_description: 'who are you' }, 401),
    );
    const error = await introspect(oauth).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'introspection_failed')).toBe(true);
    expect((error as McpOAuthError).oauthError).toBe('invalid_client');
  });

  it('without an introspection_endpoint in the metadata nothing is sent', async () => {
    const server = fakeServer({});
    const store = memoryStore();
    await seedLogin(store, { resource: RESOURCE, as: exampleAs(), client: {}, tokens: {} });
    const oauth = createOAuthClient({ serverUrl: RESOURCE, store, fetch: server.fetch });
    const error = await introspect(oauth).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'introspection_failed')).toBe(true);
    expect(server.requests).toEqual([]);
  });
});
