// CIMD-3: a client identified by a Client ID Metadata Document never uses a shared secret.
import { describe, expect, it } from 'vitest';
import { buildAuthorizationRequest } from '../../src/authorization/build-url.ts';
import { exchangeAuthorizationCode } from '../../src/grants/authorization-code.ts';
import { resolveClient } from '../../src/registration/resolve-client.ts';
import { flowContext } from '../support/context.ts';
import { exampleAs, ISSUER } from '../support/example-as.ts';
import { fakeServer, json } from '../support/fake-server.ts';

const CIMD = 'https://app.example/oauth/client.json';
const REDIRECT = 'http://127.0.0.1:9/callback';
const metadata = exampleAs({
  registration_endpoint: `${ISSUER}/register`,
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
  client_id_metadata_document_supported: true,
});

describe('Client ID Metadata Document clients (CIMD)', () => {
  it('are public clients: auth method none, no secret kept, none sent to the token endpoint', async () => {
    const server = fakeServer({
      'POST /token': () => json({ access_token: 'at', token_type: 'Bearer', expires_in: 60 }),
    });
    let n = 0;
    const ctx = flowContext(server.fetch, { randomString: () => `r${++n}-${'x'.repeat(43)}` });
    // a secret in the configuration is not a reason to use shared-secret authentication
    const config = { clientMetadataUrl: CIMD, clientSecret: 'must-not-travel' };
    const client = await resolveClient(ctx, metadata, config, {
      redirectUri: REDIRECT,
      grantTypes: ['authorization_code', 'refresh_token'],
    });
    expect(client.source).toBe('client-id-metadata-document');
    expect(client.clientId).toBe(CIMD);
    expect(client.tokenEndpointAuthMethod).toBe('none');
    expect(client).not.toHaveProperty('clientSecret');
    expect(client).not.toHaveProperty('clientSecretExpiresAt');

    const pending = await buildAuthorizationRequest(ctx, {
      serverUrl: 'https://mcp.example/mcp',
      resource: 'https://mcp.example/mcp',
      as: metadata,
      client,
      redirectUri: REDIRECT,
      scope: undefined,
    });
    await exchangeAuthorizationCode(ctx, {
      pending,
      callbackUrl: `${REDIRECT}?code=c1&state=${pending.state}`,
      as: metadata,
      resourceMetadata: { resource: pending.resource, authorization_servers: [metadata.issuer] },
      client,
      config,
    });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${ISSUER}/token`]);
    const [token] = server.requests;
    expect(token?.form.get('client_id')).toBe(CIMD);
    expect(token?.form.has('client_secret')).toBe(false);
    expect(token?.headers.get('authorization')).toBeNull();
    expect(token?.body).not.toContain('must-not-travel');
  });
});
