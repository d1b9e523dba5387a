// The dynamic client registration request (RFC 7591) and what is kept from its answer.
import { describe, expect, it } from 'vitest';
import { McpOAuthError } from '../../src/errors/error.ts';
import { registerDynamically } from '../../src/registration/dynamic-registration.ts';
import { resolveClient } from '../../src/registration/resolve-client.ts';
import { storeKeys } from '../../src/store/keys.ts';
import { flowContext } from '../support/context.ts';
import { exampleAs, ISSUER } from '../support/example-as.ts';
import { type FakeRoute, fakeServer, json } from '../support/fake-server.ts';

const as = (extra: Parameters<typeof exampleAs>[0] = {}) =>
  exampleAs({ registration_endpoint: `${ISSUER}/register`, ...extra });

/** A registration endpoint that echoes the request with a client id (RFC 7591 §3.2.1). */
const echo: FakeRoute = ({ body }) => json({ ...JSON.parse(body), client_id: 'dyn-1' }, 201);

async function registrationBody(
  redirectUris: string[],
  grantTypes: string[],
  metadata: Parameters<typeof exampleAs>[0] = {},
): Promise<Record<string, unknown>> {
  const server = fakeServer({ 'POST /register': echo });
  await registerDynamically(flowContext(server.fetch), as(metadata), {}, redirectUris, grantTypes);
  expect(server.requests).toHaveLength(1);
  return JSON.parse(server.requests[0]?.body ?? '{}');
}

describe('the dynamic registration request (RFC 7591, MCP)', () => {
  it('a loopback redirect URI registers a native public client for the code flow', async () => {
    const body = await registrationBody(
      ['http://127.0.0.1:9/callback'],
      ['authorization_code', 'refresh_token'],
    );
    expect(body).toMatchObject({
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1:9/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    });
    expect(body).not.toHaveProperty('client_secret');
    // localhost and [::1] are loopback too, and so is a private-use URI scheme
    for (const uri of [
      'http://localhost:8080/cb',
      'http://[::1]:8080/cb',
      'com.example.app:/oauth/cb',
    ]) {
      expect((await registrationBody([uri], ['authorization_code'])).application_type).toBe(
        'native',
      );
    }
  });

  it('an https redirect URI on a non-local host registers a web client', async () => {
    const body = await registrationBody(
      ['https://app.example/oauth/callback'],
      ['authorization_code', 'refresh_token'],
    );
    expect(body.application_type).toBe('web');
    expect(body.token_endpoint_auth_method).toBe('none');
    expect(body.response_types).toEqual(['code']);
  });

  it('prefers a public client (none) whenever the server allows it, even next to secret methods', async () => {
    const body = await registrationBody(['http://127.0.0.1:9/cb'], ['authorization_code'], {
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    });
    expect(body.token_endpoint_auth_method).toBe('none');
    // only a server without `none` gets a confidential client
    const confidential = await registrationBody(['http://127.0.0.1:9/cb'], ['authorization_code'], {
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    });
    expect(confidential.token_endpoint_auth_method).toBe('client_secret_basic');
  });

  it('the response types match the grant types: no "code" for a device-only client', async () => {
    const body = await registrationBody(
      [],
      ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
    );
    expect(body.grant_types).toEqual([
      'urn:ietf:params:oauth:grant-type:device_code',
      'refresh_token',
    ]);
    expect(body.response_types).toEqual([]);
    expect(body.application_type).toBe('native');
  });

  it('a registration endpoint on plain http (not loopback) is refused before anything is sent', async () => {
    const server = fakeServer({ 'POST /register': echo });
    const error = await registerDynamically(
      flowContext(server.fetch),
      as({ registration_endpoint: 'http://as.example/register' }),
      {},
      ['http://127.0.0.1:9/cb'],
      ['authorization_code'],
    ).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'insecure_url')).toBe(true);
    expect(server.requests).toEqual([]);
  });
});

describe('the registration answer (RFC 7591 §3.2.1)', () => {
  it('keeps the values the server registered, not the ones asked for', async () => {
    const server = fakeServer({
      'POST /register': () =>
        json(
          {
            client_id: 'dyn-2',
            client_secret: 'server-chose-a-secret',
            client_secret_expires_at: 0,
            token_endpoint_auth_method: 'client_secret_post',
            redirect_uris: ['http://127.0.0.1/callback'],
            grant_types: ['authorization_code'],
            registration_access_token: 'rat',
            registration_client_uri: `${ISSUER}/register/dyn-2`,
          },
          201,
        ),
    });
    const record = await registerDynamically(
      flowContext(server.fetch),
      as(),
      {},
      ['http://127.0.0.1:9/callback'],
      ['authorization_code', 'refresh_token'],
    );
    expect(JSON.parse(server.requests[0]?.body ?? '{}').token_endpoint_auth_method).toBe('none');
    expect(record).toMatchObject({
      clientId: 'dyn-2',
      clientSecret: 'server-chose-a-secret',
      tokenEndpointAuthMethod: 'client_secret_post',
      redirectUris: ['http://127.0.0.1/callback'],
      grantTypes: ['authorization_code'],
      registrationAccessToken: 'rat',
      registrationClientUri: `${ISSUER}/register/dyn-2`,
    });
    expect(record.clientSecretExpiresAt).toBeUndefined(); // 0: never expires
  });

  it('registers again once client_secret_expires_at has passed, and not before', async () => {
    let now = 1_700_000_000_000;
    let issued = 0;
    const server = fakeServer({
      'POST /register': () => {
        issued++;
        return json(
          {
            client_id: `dyn-${issued}`,
            client_secret: `secret-${issued}`,
            client_secret_expires_at: Math.floor(now / 1000) + 3600,
            token_endpoint_auth_method: 'client_secret_basic',
            redirect_uris: ['http://127.0.0.1:9/cb'],
            grant_types: ['authorization_code', 'refresh_token'],
          },
          201,
        );
      },
    });
    const ctx = flowContext(server.fetch, { now: () => now });
    const needs = {
      redirectUri: 'http://127.0.0.1:9/cb',
      grantTypes: ['authorization_code', 'refresh_token'],
    };
    const first = await resolveClient(ctx, as(), {}, needs);
    expect(first.clientSecretExpiresAt).toBe(now + 3_600_000);
    now += 3_599_000; // one second before expiry: the stored registration is reused
    expect((await resolveClient(ctx, as(), {}, needs)).clientId).toBe('dyn-1');
    expect(server.requests).toHaveLength(1);
    now += 1_000; // expired
    const second = await resolveClient(ctx, as(), {}, needs);
    expect(server.requests).toHaveLength(2);
    expect(second).toMatchObject({ clientId: 'dyn-2', clientSecret: 'secret-2' });
    expect(await ctx.store.get(storeKeys.client(ISSUER))).toMatchObject({ clientId: 'dyn-2' });
  });
});
