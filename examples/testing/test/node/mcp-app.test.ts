// node's test runner: `node --test` (Node 22.6+ runs this file as is with
// --experimental-strip-types; on Node 20 compile it first: tsc -p tsconfig.build.json)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { McpOAuthEvent } from '@mcp-oauth/core';
import { startMcpOAuthServers } from '@mcp-oauth/testing';
import { connectMcpApp } from '../../src/mcp-app.ts';

const expire = () => sleep(2_100); // outlives the first login's token (2 s)

test('first login, then the same tokens for every call', async () => {
  await using servers = await startMcpOAuthServers();
  const app = await connectMcpApp({ serverUrl: servers.mcpUrl, openBrowser: servers.approve });
  assert.equal(await app.call('echo', { text: 'hello' }), 'hello');
  assert.equal(await app.call('add', { a: 2, b: 3 }), '5');
  assert.equal(servers.counters.registrations, 1);
  assert.equal(servers.counters.authorizations, 1);
  assert.equal(servers.counters.refreshes, 0);
  await app.close();
});

test('refreshes across expiry, without a new login', async () => {
  await using servers = await startMcpOAuthServers({ accessTokenTtlSeconds: 2 });
  const app = await connectMcpApp({ serverUrl: servers.mcpUrl, openBrowser: servers.approve });
  servers.update({ accessTokenTtlSeconds: 3600 }); // only the first token is short-lived
  const refreshes = servers.counters.refreshes;
  await expire();
  assert.equal(await app.call('echo', { text: 'after' }), 'after');
  assert.equal(servers.counters.refreshes, refreshes + 1);
  assert.equal(servers.counters.authorizations, 1);
  assert.equal(servers.counters.invalidGrant, 0);
  await app.close();
});

test('steps up to the scope a tool needs', async () => {
  await using servers = await startMcpOAuthServers({ toolScopes: { admin_reset: 'mcp:admin' } });
  const app = await connectMcpApp({ serverUrl: servers.mcpUrl, openBrowser: servers.approve });
  await app.call('echo', { text: 'hi' });
  await app.call('admin_reset'); // 403 insufficient_scope, then a second consent with mcp:admin
  assert.equal(servers.counters.forbidden, 1);
  assert.equal(servers.counters.authorizations, 2);
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
  assert.equal(await app.call('echo', { text: 'again' }), 'again');
  assert.equal(servers.counters.invalidGrant, 1);
  assert.equal(servers.counters.authorizations, 2);
  assert.ok(events.includes('tokens_deleted'));
  await app.close();
});
