import { createOAuthClient, McpOAuthError, memoryStore } from '@mcp-oauth/core';
import { clientCredentials } from '@mcp-oauth/core/client-credentials';
import { type PrivateJwk, privateKeyJwt } from '@mcp-oauth/core/private-key-jwt';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSdk, type Stack, startStack, textOf } from '../src/harness.ts';

describe('client authentication with private_key_jwt', () => {
  let stack: Stack;
  let pem: string;
  let jwk: Record<string, unknown>;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    pem = await exportPKCS8(privateKey);
    jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', kid: 'k1' };
    stack = await startStack({
      as: {
        clients: [
          {
            client_id: 'jwt-service',
            grant_types: ['client_credentials'],
            response_types: [],
            redirect_uris: [],
            token_endpoint_auth_method: 'private_key_jwt',
            token_endpoint_auth_signing_alg: 'RS256',
            jwks: {
              keys: [{ ...(await exportJWK(publicKey)), alg: 'RS256', kid: 'k1', use: 'sig' }],
            },
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('signs a client assertion with a PKCS#8 PEM key and calls a tool', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      client: { clientId: 'jwt-service', privateKey: privateKeyJwt(pem) },
      interaction: clientCredentials(),
    });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'whoami', arguments: {} }))).toContain('jwt-service');
    await sdk.close();
  });

  it('accepts a private JWK with its kid', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      client: {
        clientId: 'jwt-service',
        privateKey: privateKeyJwt(jwk as PrivateJwk, { kid: 'k1' }),
      },
      interaction: clientCredentials(),
    });
    await oauth.authorize();
    expect((await oauth.status())?.clientId).toBe('jwt-service');
  });

  it('a key the server does not know is refused with the server error kept apart', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      client: { clientId: 'jwt-service', privateKey: privateKeyJwt(await exportPKCS8(privateKey)) },
      interaction: clientCredentials(),
    });
    const error = await oauth.authorize().catch((e: unknown) => e);
    // a pre-registered client the server refuses: a configuration error naming the client id
    // and the option to fix, the server's own error kept apart
    expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
    expect((error as McpOAuthError).oauthError).toBe('invalid_client');
    expect((error as McpOAuthError).details.option).toBe('client.clientId');
    expect((error as Error).message).toContain('jwt-service');
  });

  it('a garbled key is a configuration error, with no key material in the message', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      client: {
        clientId: 'jwt-service',
        privateKey: privateKeyJwt(
          '-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----',
        ),
      },
      interaction: clientCredentials(),
    });
    const error = await oauth.authorize().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
    expect(String((error as Error).message)).not.toContain('not-a-key');
  });

  it('a key given as is (not through privateKeyJwt) is refused, naming the import to add', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      client: { clientId: 'jwt-service', privateKey: pem as never },
      interaction: clientCredentials(),
    });
    const error = await oauth.authorize().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
    expect((error as McpOAuthError).details.entry).toBe('@mcp-oauth/core/private-key-jwt');
    expect((error as Error).message).toContain('privateKeyJwt(key');
    expect((error as Error).message).not.toContain(pem.slice(40, 80));
  });
});
