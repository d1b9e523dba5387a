import {
  type AuthServer,
  completeAuthorization,
  type McpTestServer,
  startAuthorizationServer,
  startMcpServer,
} from '@mcp-oauth/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOAuthClient } from '../../../src/client/create-client.ts';
import { McpOAuthError } from '../../../src/errors/error.ts';
import { deviceInteraction } from '../../../src/interaction/device-interaction.ts';
import type { Interaction } from '../../../src/interaction/types.ts';
import { memoryStore } from '../../../src/store/memory.ts';
import { initializeRequest } from '../initialize-request.ts';

/**
 * An MCP server that names no scope (no `scope` in its challenge, no `scopes_supported`), in front
 * of oidc-provider, which grants nothing to an authorization request without scope and answers a
 * bare access_denied. MCP scope selection asks for no scope then; the refusal says so and names
 * the `scopes` option, and with that option the same servers log in.
 */
let as: AuthServer;
let mcp: McpTestServer;
let authorizationUrls: string[];

beforeAll(async () => {
  as = await startAuthorizationServer();
  mcp = await startMcpServer({ authServer: as, scopesSupported: null });
});

afterAll(async () => {
  await mcp?.close();
  await as?.close();
});

const interaction: Interaction = {
  kind: 'redirect',
  prepare: async () => ({ redirectUri: 'http://127.0.0.1:9/callback' }),
  authorize: async ({ authorizationUrl }) => {
    authorizationUrls.push(authorizationUrl);
    return completeAuthorization(authorizationUrl);
  },
};

it('a refusal of a request without scope says so and names the scopes option', async () => {
  authorizationUrls = [];
  const oauth = createOAuthClient({ serverUrl: mcp.url, store: memoryStore(), interaction });
  const error = await oauth.fetch(mcp.url, initializeRequest()).catch((e: unknown) => e);
  expect(authorizationUrls).toHaveLength(1);
  expect(new URL(authorizationUrls[0] ?? '').searchParams.has('scope')).toBe(false);
  expect(McpOAuthError.is(error, 'authorization_denied')).toBe(true);
  const refusal = error as McpOAuthError;
  expect(refusal.oauthError).toBe('access_denied');
  expect(refusal.details.option).toBe('scopes');
  expect(refusal.message).toMatch(
    /No scope was asked for \(neither the MCP server's challenge nor its resource metadata names one\), which some authorization servers refuse: ask for the scopes the server needs in the `scopes` option\.$/,
  );
  await oauth[Symbol.asyncDispose]();
});

it('with the scopes option, the same servers log in', async () => {
  authorizationUrls = [];
  const oauth = createOAuthClient({
    serverUrl: mcp.url,
    store: memoryStore(),
    interaction,
    scopes: ['mcp:read'],
  });
  const response = await oauth.fetch(mcp.url, initializeRequest());
  expect(response.status).toBe(200);
  await response.body?.cancel();
  expect(new URL(authorizationUrls[0] ?? '').searchParams.get('scope')).toContain('mcp:read');
  await oauth[Symbol.asyncDispose]();
});

it('the device flow too: a sign-in approved for no scope is refused, and the refusal says so', async () => {
  const oauth = createOAuthClient({
    serverUrl: mcp.url,
    store: memoryStore(),
    interaction: deviceInteraction({
      // the person approves; oidc-provider ends the interaction, having no scope to grant
      prompt: ({ userCode }) => {
        setTimeout(() => void as.approveDevice(userCode).catch(() => {}), 100);
      },
    }),
  });
  const error = await oauth.authorize().catch((e: unknown) => e);
  expect(McpOAuthError.isInstance(error)).toBe(true);
  const refusal = error as McpOAuthError;
  expect(['access_denied', 'invalid_scope']).toContain(refusal.oauthError);
  expect(refusal.details.option).toBe('scopes');
  expect(refusal.message).toMatch(/No scope was asked for/);
  await oauth[Symbol.asyncDispose]();
}, 30_000);
