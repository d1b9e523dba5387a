import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { readRegistration } from '../../src/client/manage-stored-registration.ts';
import type { McpOAuthEvent } from '../../src/events/types.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';

const REDIRECT = 'http://127.0.0.1:9/callback';
const SECRET_LIFETIME_S = 3600;

/**
 * Dynamic registration (RFC 7591) with the application's metadata, against oidc-provider,
 * which keeps what it registered: read back with RFC 7592. Its registrations carry secrets
 * that expire an hour after they are issued (`client_secret_expires_at`).
 */
describe('registration metadata (RFC 7591 §2)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      as: {
        configure: (configuration) => {
          configuration.extraClientMetadata = {
            // RFC 7591 fields oidc-provider does not keep by itself
            properties: ['software_id', 'software_version'],
            validator: (_ctx, key, _value, metadata) => {
              // a secret that expires, as some servers issue them
              if (key === 'software_id' && metadata.client_secret)
                metadata.client_secret_expires_at =
                  Math.floor(Date.now() / 1000) + SECRET_LIFETIME_S;
            },
          };
        },
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const client = {
    clientName: 'Metadata test app',
    clientUri: 'https://app.example.com/',
    logoUri: 'https://app.example.com/logo.png',
    tosUri: 'https://app.example.com/terms',
    policyUri: 'https://app.example.com/privacy',
    contacts: ['ops@app.example.com'],
    scope: 'mcp:read mcp:write',
    softwareId: '4NRB1-0XZABZI9E6-5SM3R',
    softwareVersion: '2.1.0',
    tokenEndpointAuthMethod: 'client_secret_post',
  } as const;

  it('sends every metadata field and the preferred token endpoint auth method; the server keeps them', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: headlessInteraction({ redirectUri: REDIRECT }),
      client: { ...client, contacts: [...client.contacts] },
    });
    await oauth.authorize();
    const registered = await readRegistration(oauth);
    expect(registered).toMatchObject({
      client_name: client.clientName,
      client_uri: client.clientUri,
      logo_uri: client.logoUri,
      tos_uri: client.tosUri,
      policy_uri: client.policyUri,
      contacts: client.contacts,
      scope: client.scope,
      software_id: client.softwareId,
      software_version: client.softwareVersion,
      token_endpoint_auth_method: 'client_secret_post',
    });
  });

  it('a registration whose client_secret_expires_at has passed is replaced before it is used', async () => {
    const events: McpOAuthEvent[] = [];
    const clock = { offset: 0 };
    const store = memoryStore();
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: headlessInteraction({ redirectUri: REDIRECT }),
      client: { ...client, contacts: [...client.contacts] },
      now: () => Date.now() + clock.offset,
      onEvent: (e) => events.push(e),
    });
    await oauth.authorize();
    const first = (await store.get(`client:${stack.as.issuer}`)) as {
      clientId: string;
      clientSecretExpiresAt?: number;
    };
    expect(first.clientSecretExpiresAt).toBeGreaterThan(Date.now());
    // before the expiry: the stored registration is used again
    await oauth.authorize();
    expect(events.filter((e) => e.type === 'registered')).toHaveLength(1);
    // past it: registered anew, and the new client's tokens work
    clock.offset = (SECRET_LIFETIME_S + 60) * 1000;
    await oauth.authorize();
    const registrations = events.filter((e) => e.type === 'registered');
    expect(registrations).toHaveLength(2);
    const second = (await store.get(`client:${stack.as.issuer}`)) as { clientId: string };
    expect(second.clientId).not.toBe(first.clientId);
    const response = await oauth.fetch(stack.mcp.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 't', version: '1' },
        },
      }),
    });
    expect(response.status).toBe(200);
  });
});
