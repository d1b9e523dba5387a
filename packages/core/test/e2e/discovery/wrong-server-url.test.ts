import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOAuthClient } from '../../../src/client/create-client.ts';
import { McpOAuthError } from '../../../src/errors/error.ts';
import { headlessInteraction } from '../../../src/interaction/headless.ts';
import { storeKeys } from '../../../src/store/keys.ts';
import { memoryStore } from '../../../src/store/memory.ts';

/**
 * A mistyped MCP server URL (a path the server does not serve) on a real server: no RFC 9728
 * metadata for it, no RFC 8414 metadata at its origin. MCP 2025-03-26's default endpoints are
 * not assumed for it: its 404 says there is no MCP server there. Nothing is registered, nothing
 * cached.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

it('a URL the server answers 404: a clear error naming the URL, no registration, nothing cached', async () => {
  const typo = `${stack.mcp.url}x`;
  const store = memoryStore();
  const registrations = stack.as.stats.registrations;
  const oauth = createOAuthClient({
    serverUrl: typo,
    store,
    interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
  });
  const error = await oauth.authorize().catch((e: unknown) => e);
  expect(McpOAuthError.is(error, 'resource_metadata_invalid')).toBe(true);
  expect((error as McpOAuthError).status).toBe(404);
  expect((error as Error).message).toBe(
    `${typo} answered HTTP 404, and no OAuth metadata was found for it (neither RFC 9728 resource metadata nor ${new URL(typo).origin}/.well-known/oauth-authorization-server): there is no MCP server at this URL; check it.`,
  );
  expect(stack.as.stats.registrations).toBe(registrations);
  expect(await store.list('')).toEqual([]);
  expect(await store.get(storeKeys.discovery(typo))).toBeUndefined();
});
