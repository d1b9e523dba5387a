// One process of a fleet: keeps calling a protected MCP server through the official SDK
// client with tokens from a shared store, until its deadline. Prints a JSON summary.
// argv: serverUrl storeKind storeConfigJson durationMs

import { createOAuthClient } from '@mcp-oauth/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [serverUrl, kind, configJson, durationMs] = process.argv.slice(2);
const config = JSON.parse(configJson);
let store;
if (kind === 'file') store = (await import('@mcp-oauth/store-file')).fileStore(config);
else if (kind === 'keychain')
  store = (await import('@mcp-oauth/store-keychain')).keychainStore(config);
else if (kind === 'vault') store = (await import('@mcp-oauth/store-vault')).vaultStore(config);
else if (kind === 'redis') store = (await import('@mcp-oauth/store-redis')).redisStore(config);
else throw new Error(`unknown store ${kind}`);

const events = { refreshed: 0, skipped: 0, authorized: 0 };
// No interaction: a forced re-authorization would fail loudly (interaction_required).
const oauth = createOAuthClient({
  serverUrl,
  store,
  lock: { timeoutMs: 20_000 },
  onEvent: (e) => {
    if (e.type === 'refreshed') events.refreshed++;
    if (e.type === 'refresh_skipped') events.skipped++;
    if (e.type === 'authorized') events.authorized++;
  },
});
const client = new Client({ name: 'fleet-worker', version: '0' });
await client.connect(new StreamableHTTPClientTransport(new URL(serverUrl), { fetch: oauth.fetch }));
const deadline = Date.now() + Number(durationMs);
let ok = 0;
const errors = [];
while (Date.now() < deadline) {
  try {
    const r = await client.callTool({ name: 'echo', arguments: { text: 'x' } });
    if (r.content?.[0]?.text === 'x') ok++;
    else errors.push('bad result');
  } catch (error) {
    errors.push(error?.code ?? String(error?.message ?? error));
  }
  await new Promise((r) => setTimeout(r, 40));
}
await client.close();
await store.close?.();
process.stdout.write(`${JSON.stringify({ ok, errors, events })}\n`);
