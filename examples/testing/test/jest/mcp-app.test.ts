// jest (ESM): `node --experimental-vm-modules node_modules/jest/bin/jest.js` on the compiled
// tests (tsc -p tsconfig.build.json), or with ts-jest / babel-jest on the sources.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import type { McpOAuthEvent } from '@mcp-oauth/core';
import { type McpOAuthServers, startMcpOAuthServers } from '@mcp-oauth/testing';
import { connectMcpApp, type McpApp } from '../../src/mcp-app.ts';

const expire = () => sleep(2_100); // outlives the first login's token (2 s)

let servers: McpOAuthServers;
let app: McpApp;
const events: McpOAuthEvent['type'][] = [];

beforeEach(async () => {
  events.length = 0;
  servers = await startMcpOAuthServers({
    accessTokenTtlSeconds: 2,
    toolScopes: { admin_reset: 'mcp:admin' },
  });
  app = await connectMcpApp({
    serverUrl: servers.mcpUrl,
    openBrowser: servers.approve,
    onEvent: (event) => events.push(event.type),
  });
  // the first login's token lives 2 s (the refresh and revoke tests wait for it to expire);
  // every later token an hour, so that none expires mid-test on a slow machine
  servers.update({ accessTokenTtlSeconds: 3600 });
});

afterEach(async () => {
  await app.close();
  await servers.close();
});

test('first login', async () => {
  expect(await app.call('echo', { text: 'hello' })).toBe('hello');
  expect(servers.counters).toMatchObject({ registrations: 1, authorizations: 1 });
});

test('refreshes across expiry, without a new login', async () => {
  const refreshes = servers.counters.refreshes;
  await expire();
  expect(await app.call('echo', { text: 'after' })).toBe('after');
  expect(servers.counters.refreshes).toBe(refreshes + 1);
  expect(servers.counters).toMatchObject({ authorizations: 1, invalidGrant: 0 });
});

test('steps up to the scope a tool needs', async () => {
  await app.call('echo', { text: 'hi' });
  await app.call('admin_reset'); // 403 insufficient_scope, then a second consent with mcp:admin
  expect(servers.counters).toMatchObject({ forbidden: 1, authorizations: 2 });
});

test('logs in again when the grant was revoked', async () => {
  await servers.revokeGrants();
  await expire();
  expect(await app.call('echo', { text: 'again' })).toBe('again');
  expect(servers.counters).toMatchObject({ invalidGrant: 1, authorizations: 2 });
  expect(events).toContain('tokens_deleted');
});
