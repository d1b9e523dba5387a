// RFC 7592 §2.1-2.2: credentials the client configuration endpoint rotates replace the old ones.
import { describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import {
  readRegistration,
  updateRegistration,
} from '../../src/client/manage-stored-registration.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { storeKeys } from '../../src/store/keys.ts';
import { memoryStore } from '../../src/store/memory.ts';
import { exampleAs, ISSUER, RESOURCE } from '../support/example-as.ts';
import { fakeServer, json } from '../support/fake-server.ts';
import { seedLogin } from '../support/seed.ts';

const as = exampleAs({ registration_endpoint: `${ISSUER}/register` });
const registered = {
  clientId: 'dyn',
  clientSecret: 'secret-1',
  tokenEndpointAuthMethod: 'client_secret_basic',
  registrationAccessToken: 'rat-1',
  registrationClientUri: `${ISSUER}/register/dyn`,
};

async function setup(clientUri = registered.registrationClientUri) {
  const metadata = {
    client_id: 'dyn',
    redirect_uris: ['http://127.0.0.1:9/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
  };
  const server = fakeServer({
    // the read rotates all three credentials
    'GET /register/dyn': () =>
      json({
        ...metadata,
        client_secret: 'secret-2',
        registration_access_token: 'rat-2',
        registration_client_uri: `${ISSUER}/register/dyn-2`,
      }),
    // the update, at the new URI, rotates the secret and the registration token again
    'PUT /register/dyn-2': ({ body }) =>
      json({
        ...JSON.parse(body),
        client_secret: 'secret-3',
        registration_access_token: 'rat-3',
      }),
  });
  const store = memoryStore();
  await seedLogin(store, {
    resource: RESOURCE,
    as,
    client: { ...registered, registrationClientUri: clientUri },
  });
  const client = createOAuthClient({ serverUrl: RESOURCE, store, fetch: server.fetch });
  return { client, server, store };
}

describe('client configuration management (RFC 7592)', () => {
  it('stores rotated credentials from a read and an update, discards the old ones, and uses the new ones', async () => {
    const { client, server, store } = await setup();
    const read = await readRegistration(client);
    expect(read).not.toHaveProperty('client_secret');
    expect(read).not.toHaveProperty('registration_access_token');
    expect(await store.get(storeKeys.client(ISSUER))).toMatchObject({
      clientSecret: 'secret-2',
      registrationAccessToken: 'rat-2',
      registrationClientUri: `${ISSUER}/register/dyn-2`,
    });

    await updateRegistration(client, { ...read, client_name: 'renamed' });
    const [get, put] = server.requests;
    expect(get?.headers.get('authorization')).toBe('Bearer rat-1');
    // the update goes to the new URI with the new registration token, and carries the new secret
    expect(put?.url).toBe(`${ISSUER}/register/dyn-2`);
    expect(put?.headers.get('authorization')).toBe('Bearer rat-2');
    expect(JSON.parse(put?.body ?? '{}')).toMatchObject({
      client_id: 'dyn',
      client_secret: 'secret-2',
      client_name: 'renamed',
    });
    const stored = await store.get(storeKeys.client(ISSUER));
    expect(stored).toMatchObject({
      clientSecret: 'secret-3',
      registrationAccessToken: 'rat-3',
      registrationClientUri: `${ISSUER}/register/dyn-2`,
    });
    expect(JSON.stringify(stored)).not.toMatch(/secret-1|secret-2|rat-1|rat-2/);
  });

  it('a client configuration endpoint on plain http (not loopback) is refused before the registration token is sent', async () => {
    const { client, server } = await setup('http://as.example/register/dyn');
    const error = await readRegistration(client).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'insecure_url')).toBe(true);
    expect(server.requests).toEqual([]);
  });
});
