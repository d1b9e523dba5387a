// OAuth 2.1 (draft-13) §1.4, §3.2.3: a client never uses an access token whose token_type it
// does not understand, and ignores response parameters it does not know.
import { describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { storeKeys } from '../../src/store/keys.ts';
import { memoryStore } from '../../src/store/memory.ts';
import { exampleAs, ISSUER, RESOURCE } from '../support/example-as.ts';
import { fakeServer, json } from '../support/fake-server.ts';
import { seedLogin } from '../support/seed.ts';

/** A logged-in client without DPoP whose refresh gets `answer`. */
async function refreshAnswered(answer: Record<string, unknown>) {
  const server = fakeServer({ 'POST /token': () => json(answer) });
  const store = memoryStore();
  await seedLogin(store, {
    resource: RESOURCE,
    as: exampleAs(),
    client: {},
    tokens: { refreshToken: 'rt-1', expiresAt: Date.now() + 3_600_000 },
  });
  const oauth = createOAuthClient({ serverUrl: RESOURCE, store, fetch: server.fetch });
  const outcome = await oauth.refresh().catch((e: unknown) => e);
  return { oauth, store, outcome };
}

describe('OAuth 2.1 grants (§10)', () => {
  it('asks only for an authorization code: response_type=code, and registers neither implicit nor password grants', async () => {
    const server = fakeServer({
      'GET /.well-known/oauth-protected-resource/mcp': () =>
        json({ resource: RESOURCE, authorization_servers: [ISSUER] }),
      'GET /.well-known/oauth-authorization-server': () =>
        json(exampleAs({ registration_endpoint: `${ISSUER}/register` })),
      'POST /register': ({ body }) => json({ ...JSON.parse(body), client_id: 'dyn' }, 201),
    });
    const oauth = createOAuthClient({ serverUrl: RESOURCE, fetch: server.fetch });
    const { authorizationUrl } = await oauth.beginAuthorization({
      redirectUri: 'http://127.0.0.1:9/callback',
    });
    expect(new URL(authorizationUrl).searchParams.getAll('response_type')).toEqual(['code']);
    const registration = JSON.parse(
      server.requests.find((r) => r.url === `${ISSUER}/register`)?.body ?? '{}',
    );
    expect(registration.response_types).toEqual(['code']);
    expect(registration.grant_types).not.toContain('implicit');
    expect(registration.grant_types).not.toContain('password');
  });
});

describe('OAuth 2.1 token_type (§1.4, §3.2.3)', () => {
  it('an access token of a type the client does not understand is refused and never stored', async () => {
    const { outcome, store } = await refreshAnswered({
      access_token: 'at-mac',
      token_type: 'mac',
      expires_in: 3600,
    });
    expect(McpOAuthError.is(outcome, 'invalid_response')).toBe(true);
    expect(await store.get(storeKeys.tokens(ISSUER, RESOURCE))).toMatchObject({
      accessToken: 'at-1',
    });
  });

  it('without dpop(), a DPoP token is refused instead of being sent as a Bearer token', async () => {
    const { outcome, store } = await refreshAnswered({
      access_token: 'at-dpop',
      token_type: 'DPoP',
      expires_in: 3600,
    });
    expect(McpOAuthError.is(outcome, 'invalid_response')).toBe(true);
    expect(await store.get(storeKeys.tokens(ISSUER, RESOURCE))).toMatchObject({
      accessToken: 'at-1',
    });
  });

  it('parameters it does not know are ignored: the Bearer token is used', async () => {
    const { oauth, outcome } = await refreshAnswered({
      access_token: 'at-2',
      token_type: 'Bearer',
      expires_in: 3600,
      unknown_parameter: { nested: true },
    });
    expect(outcome).not.toBeInstanceOf(Error);
    expect(await oauth.getAccessToken()).toBe('at-2');
  });
});
