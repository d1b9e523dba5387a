// vitest: `vitest run`
import type { McpOAuthEvent } from '@mcp-oauth/core';
import { startMcpOAuthServers } from '@mcp-oauth/testing';
import { expect, test } from 'vitest';
import { connectMcpApp } from '../../src/mcp-app.ts';

const expire = () => new Promise((resolve) => setTimeout(resolve, 2_100)); // outlives the first login's token (2 s)

test('first login, then the same tokens for every call', async () => {
  await using servers = await startMcpOAuthServers();
  const app = await connectMcpApp({ serverUrl: servers.mcpUrl, openBrowser: servers.approve });
  expect(await app.call('echo', { text: 'hello' })).toBe('hello');
  expect(await app.call('add', { a: 2, b: 3 })).toBe('5');
  expect(servers.counters).toMatchObject({ registrations: 1, authorizations: 1, refreshes: 0 });
  await app.close();
});

test('refreshes across expiry, without a new login', async () => {
  await using servers = await startMcpOAuthServers({ accessTokenTtlSeconds: 2 });
  const app = await connectMcpApp({ serverUrl: servers.mcpUrl, openBrowser: servers.approve });
  servers.update({ accessTokenTtlSeconds: 3600 }); // only the first token is short-lived
  const refreshes = servers.counters.refreshes;
  await expire();
  expect(await app.call('echo', { text: 'after' })).toBe('after');
  expect(servers.counters.refreshes).toBe(refreshes + 1);
  expect(servers.counters).toMatchObject({ authorizations: 1, invalidGrant: 0 });
  await app.close();
});

test('steps up to the scope a tool needs', async () => {
  await using servers = await startMcpOAuthServers({ toolScopes: { admin_reset: 'mcp:admin' } });
  const app = await connectMcpApp({ serverUrl: servers.mcpUrl, openBrowser: servers.approve });
  await app.call('echo', { text: 'hi' });
  await app.call('admin_reset'); // 403 insufficient_scope, then a second consent with mcp:admin
  expect(servers.counters).toMatchObject({ forbidden: 1, authorizations: 2 });
  await app.close();
});

test('logs in again when the grant was revoked', async () => {
  await using servers = await startMcpOAuthServers({ accessTokenTtlSeconds: 2 });
  const events: McpOAuthEvent['type'][] = [];
  const app = await connectMcpApp({
    serverUrl: servers.mcpUrl,
    openBrowser: servers.approve,
    onEvent: (event) => events.push(event.type),
  });
  servers.update({ accessTokenTtlSeconds: 3600 }); // only the first token is short-lived
  await servers.revokeGrants();
  await expire();
  expect(await app.call('echo', { text: 'again' })).toBe('again');
  expect(servers.counters).toMatchObject({ invalidGrant: 1, authorizations: 2 });
  expect(events).toContain('tokens_deleted');
  await app.close();
});
