import {
  type AuthServer,
  type McpTestServer,
  startAuthorizationServer,
  startMcpServer,
} from '@mcp-oauth/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOAuthClient } from '../../../src/client/create-client.ts';
import { headlessInteraction } from '../../../src/interaction/headless.ts';
import { memoryStore } from '../../../src/store/memory.ts';
import { initializeRequest } from '../initialize-request.ts';

/**
 * RFC 9728 §3.1 with a trailing slash: an MCP server at `/mcp/` that publishes its metadata as
 * the RFC (and the official SDK's `mcpAuthMetadataRouter`) writes the URL,
 * `/.well-known/oauth-protected-resource/mcp/`, and names it in no challenge. The client finds it
 * there at once, not by the MCP 2025-03-26 fallback.
 */
let as: AuthServer;
let mcp: McpTestServer;

beforeAll(async () => {
  as = await startAuthorizationServer();
  mcp = await startMcpServer({
    authServer: as,
    path: '/mcp/',
    noResourceMetadataInChallenge: true,
  });
});

afterAll(async () => {
  await mcp?.close();
  await as?.close();
});

it('finds the metadata at the path-aware URL with its trailing slash, and logs in', async () => {
  expect(mcp.url.endsWith('/mcp/')).toBe(true);
  expect(mcp.resourceMetadataUrl).toBe(
    `${new URL(mcp.url).origin}/.well-known/oauth-protected-resource/mcp/`,
  );
  const events: { type: string; resourceMetadataUrl?: string }[] = [];
  const oauth = createOAuthClient({
    serverUrl: mcp.url,
    store: memoryStore(),
    interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
    onEvent: (event) => events.push(event),
  });
  const response = await oauth.fetch(mcp.url, initializeRequest());
  expect(response.status).toBe(200);
  await response.body?.cancel();
  const discovery = events.find((e) => e.type === 'discovery');
  expect(discovery?.resourceMetadataUrl).toBe(mcp.resourceMetadataUrl);
  // one metadata request: the first URL tried was the right one
  expect(mcp.stats.metadataRequests).toBe(1);
  await oauth[Symbol.asyncDispose]();
});
