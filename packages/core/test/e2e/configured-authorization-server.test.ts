import {
  type AuthServer,
  type McpTestServer,
  type Stack,
  startAuthorizationServer,
  startMcpServer,
  startStack,
} from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import type { OAuthClientOptions } from '../../src/client/types.ts';
import type { ConfiguredAuthorizationServer } from '../../src/discovery/configured-authorization-server.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';

const REDIRECT = 'http://127.0.0.1:9/callback';

/** oidc-provider's default routes under its issuer. */
const endpointsOf = (issuer: string): ConfiguredAuthorizationServer => ({
  issuer,
  authorizationEndpoint: `${issuer}/auth`,
  tokenEndpoint: `${issuer}/token`,
  registrationEndpoint: `${issuer}/reg`,
  revocationEndpoint: `${issuer}/token/revocation`,
  introspectionEndpoint: `${issuer}/token/introspection`,
});

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 't', version: '1' },
  },
});
const mcpPost = {
  method: 'POST',
  body: initialize,
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
};

function client(serverUrl: string, options: Partial<OAuthClientOptions> = {}) {
  const store = memoryStore();
  return {
    store,
    oauth: createOAuthClient({
      serverUrl,
      store,
      interaction: headlessInteraction({ redirectUri: REDIRECT }),
      ...options,
    }),
  };
}

/**
 * The `authorizationServer` option (endpoints given by the application), against a real
 * oidc-provider that publishes no metadata and an MCP server that publishes no RFC 9728
 * metadata, then against servers that publish both.
 */
describe('authorization server endpoints given by the application', () => {
  let hidden: { as: AuthServer; mcp: McpTestServer };
  let published: Stack;
  beforeAll(async () => {
    const as = await startAuthorizationServer({ discovery: 'none' });
    const mcp = await startMcpServer({
      authServer: as,
      metadataLocation: 'none',
      noResourceMetadataInChallenge: true,
    });
    hidden = { as, mcp };
    published = await startStack();
  });
  afterAll(async () => {
    await hidden?.mcp.close();
    await hidden?.as.close();
    await published?.close();
  });

  it('without metadata anywhere, logs in, calls the server and revokes at the given endpoints', async () => {
    const metadata = await fetch(`${hidden.as.issuer}/.well-known/openid-configuration`);
    expect(metadata.status).toBe(404);
    const { oauth } = client(hidden.mcp.url, {
      authorizationServer: endpointsOf(hidden.as.issuer),
      // no metadata says which scopes the server takes: the application names them
      scopes: ['mcp:read'],
    });
    await oauth.authorize();
    const record = await oauth.discover();
    expect(record).toMatchObject({
      issuer: hidden.as.issuer,
      configured: true,
      authorizationServerMetadataUrl: '',
      authorizationServerMetadata: { token_endpoint: `${hidden.as.issuer}/token` },
    });
    expect((await oauth.fetch(hidden.mcp.url, mcpPost)).status).toBe(200);
    const { revoked } = await oauth.logout();
    expect(revoked).toContain('refresh_token');
  });

  it('refuses a plain http endpoint, naming the option, before any request', async () => {
    const before = hidden.as.stats.requests.total;
    const { oauth } = client(hidden.mcp.url, {
      authorizationServer: {
        ...endpointsOf(hidden.as.issuer),
        tokenEndpoint: 'http://as.example.test/token',
      },
    });
    const error = await oauth.authorize().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'insecure_url')).toBe(true);
    const { details, message } = error as McpOAuthError;
    expect(details).toMatchObject({
      setting: 'authorizationServer.tokenEndpoint',
      option: 'allowInsecureHttp',
    });
    expect(message).toContain('`authorizationServer.tokenEndpoint`');
    expect(hidden.as.stats.requests.total).toBe(before);
  });

  it('refuses an issuer other than the one that answers, keeping no tokens', async () => {
    const { oauth, store } = client(hidden.mcp.url, {
      authorizationServer: {
        ...endpointsOf(hidden.as.issuer),
        issuer: `${hidden.as.url}/elsewhere`,
      },
    });
    const error = await oauth.authorize().catch((e: unknown) => e);
    expect(McpOAuthError.isInstance(error)).toBe(true);
    expect((error as McpOAuthError).code).toBe('issuer_mismatch');
    expect(await store.list('tokens:')).toEqual([]);
  });

  it('refuses an issuer the MCP server does not name in its resource metadata, before any request to it', async () => {
    const before = published.as.stats.requests.total;
    const { oauth } = client(published.mcp.url, {
      authorizationServer: { ...endpointsOf(hidden.as.issuer), override: true },
    });
    const error = await oauth.authorize().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'issuer_mismatch')).toBe(true);
    expect((error as McpOAuthError).details.option).toBe('authorizationServer.issuer');
    expect(published.as.stats.requests.total).toBe(before);
  });

  it('with override, uses the given endpoints instead of reading the published metadata', async () => {
    published.as.stats.requests.byPath = {};
    const { oauth } = client(published.mcp.url, {
      authorizationServer: { ...endpointsOf(published.as.issuer), override: true },
    });
    await oauth.authorize();
    expect((await oauth.discover()).configured).toBe(true);
    const metadataReads = Object.keys(published.as.stats.requests.byPath).filter((p) =>
      p.includes('/.well-known/'),
    );
    expect(metadataReads).toEqual([]);
    expect((await oauth.fetch(published.mcp.url, mcpPost)).status).toBe(200);
  });

  it('without override, published metadata wins over the given endpoints', async () => {
    const { oauth } = client(published.mcp.url, {
      authorizationServer: {
        ...endpointsOf(published.as.issuer),
        tokenEndpoint: 'https://unused.example/token',
      },
    });
    await oauth.authorize();
    const record = await oauth.discover();
    expect(record.configured).toBeUndefined();
    expect(record.authorizationServerMetadata.token_endpoint).toBe(`${published.as.issuer}/token`);
  });
});
