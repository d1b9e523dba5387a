// MCP-DISC-2 / MCP-REG-16: tokens are bound to (issuer, resource); a refresh token never goes to
// an authorization server that did not issue it (src/session/request-refresh.ts).
import {
  type AuthServer,
  type McpTestServer,
  startAuthorizationServer,
  startMcpServer,
} from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../../src/client/create-client.ts';
import { McpOAuthError } from '../../../src/errors/error.ts';
import { headlessInteraction } from '../../../src/interaction/headless.ts';
import { memoryStore } from '../../../src/store/memory.ts';
import type { StoreRecord } from '../../../src/store/types.ts';
import { initializeRequest } from '../initialize-request.ts';

const REDIRECT = 'http://127.0.0.1:9/callback';
// A Client ID Metadata Document client: its client id is the same at every authorization server.
// oidc-provider does not fetch such documents, so each server knows the client beforehand; the
// client sees exactly what a CIMD-supporting server shows it.
const CIMD = 'https://app.example/oauth/client.json';

function cimdAuthorizationServer(): Promise<AuthServer> {
  return startAuthorizationServer({
    clients: [
      {
        client_id: CIMD,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    configure: (configuration) => {
      configuration.discovery = {
        ...configuration.discovery,
        client_id_metadata_document_supported: true,
      };
    },
  });
}

describe('a refresh after the MCP server moved to another authorization server', () => {
  let first: AuthServer;
  let second: AuthServer;
  let mcp: McpTestServer;
  beforeAll(async () => {
    [first, second] = await Promise.all([cimdAuthorizationServer(), cimdAuthorizationServer()]);
    mcp = await startMcpServer({ authServer: first });
  });
  afterAll(async () => {
    await mcp?.close();
    await Promise.all([first?.close(), second?.close()]);
  });

  it('never sends the old refresh token to the new authorization server: reauthorization_required, then a new authorization there', async () => {
    const store = memoryStore();
    let offset = 0;
    const options = {
      serverUrl: mcp.url,
      store,
      client: { clientMetadataUrl: CIMD },
      interaction: headlessInteraction({ redirectUri: REDIRECT }),
      now: () => Date.now() + offset,
    };
    const a = createOAuthClient(options);
    const old = await a.getAccessToken(); // a holds the first server's tokens in memory
    const [oldKey] = await store.list('tokens:');
    const oldRecord = (await store.get(oldKey as string)) as StoreRecord;
    expect(oldRecord.issuer).toBe(first.issuer);
    expect(oldRecord.clientId).toBe(CIMD);

    // the resource moves to the second server; another process on the store rediscovers
    const { port } = new URL(mcp.url);
    await mcp.close();
    mcp = await startMcpServer({ authServer: second, port: Number(port) });
    const { interaction: _, ...withoutInteraction } = options;
    const b = createOAuthClient(withoutInteraction);
    expect((await b.discover({ refresh: true })).issuer).toBe(second.issuer);
    first.resetStats();
    second.resetStats();

    const error = await a.refresh().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'reauthorization_required')).toBe(true);
    // no request at all: neither token endpoint, nor a registration at the new server
    expect(second.stats.requests.total).toBe(0);
    expect(first.stats.requests.total).toBe(0);
    expect((error as McpOAuthError).details).toMatchObject({
      issuer: second.issuer,
      tokensIssuer: first.issuer,
    });
    expect(((await store.get(oldKey as string)) as StoreRecord).refreshToken).toBe(
      oldRecord.refreshToken,
    );

    // when the token is due, a new authorization runs at the new server: no refresh anywhere
    offset = 3_570_000;
    const renewed = await a.getAccessToken();
    expect(renewed).not.toBe(old);
    expect(second.stats.tokenRequests).toEqual({ authorization_code: 1 });
    expect(first.stats.tokenRequests).toEqual({});
    const response = await a.fetch(mcp.url, initializeRequest());
    expect(response.status).toBe(200);
  });
});
