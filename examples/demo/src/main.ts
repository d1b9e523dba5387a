/**
 * The demo: a local authorization server (oidc-provider) and a local MCP server
 * (the official SDK) protected by its tokens, both on 127.0.0.1; then the library
 * discovers, registers, authorizes (consent approved automatically), calls a tool
 * through the official SDK client, refreshes, and logs out. Tokens are redacted.
 */

import {
  createOAuthClient,
  headlessInteraction,
  type McpOAuthEvent,
  memoryStore,
} from '@mcp-oauth/core';
import { startAuthorizationServer, startMcpServer } from '@mcp-oauth/test-servers';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

function describeEvent(event: McpOAuthEvent): string | undefined {
  switch (event.type) {
    case 'discovery':
      return `discovered: resource ${event.resource} is protected by ${event.issuer}${event.cached ? ' (from the store)' : ''}`;
    case 'registered':
      return `registered: client ${event.clientId} (${event.source})`;
    case 'authorization_started':
      return `authorizing: scope "${event.scope ?? ''}" via ${event.via}`;
    case 'authorized':
      return `authorized: access token stored, expires ${event.expiresAt ? new Date(event.expiresAt).toISOString() : 'never'}`;
    case 'refreshed':
      return `refreshed: new access token${event.rotated ? ' and rotated refresh token' : ''} stored`;
    case 'step_up':
      return `step-up: asking for "${event.scope}"`;
    case 'revoked':
      return `revoked: ${event.tokenTypeHint}`;
    case 'tokens_deleted':
      return `deleted local tokens (${event.reason})`;
    default:
      return undefined;
  }
}

async function main() {
  const as = await startAuthorizationServer({ accessTokenTtlSeconds: 300 });
  const mcp = await startMcpServer({ authServer: as });
  say(`authorization server: ${as.issuer}`);
  say(`MCP server:           ${mcp.url}`);
  try {
    const oauth = createOAuthClient({
      serverUrl: mcp.url,
      store: memoryStore(),
      client: { clientName: 'mcp-oauth demo' },
      // The demo's authorization server approves consent by itself; a CLI would use @mcp-oauth/loopback.
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:8976/callback' }),
      onEvent: (event) => {
        const line = describeEvent(event);
        if (line) say(`  · ${line}`);
      },
    });

    say('\nconnecting with the official MCP SDK client (login happens inside the first request):');
    const client = new Client({ name: 'mcp-oauth-demo', version: '0.1.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(mcp.url), { fetch: oauth.fetch }),
    );
    const { tools } = await client.listTools();
    say(`\ntools: ${tools.map((t) => t.name).join(', ')}`);
    const result = await client.callTool({
      name: 'echo',
      arguments: { text: 'hello from mcp-oauth' },
    });
    say(`echo → ${(result.content as { text: string }[])[0]?.text}`);

    say('\nrefreshing:');
    await oauth.refresh();
    const whoami = await client.callTool({ name: 'whoami', arguments: {} });
    say(`whoami → ${(whoami.content as { text: string }[])[0]?.text}`);

    const status = await oauth.status();
    const token = await oauth.getAccessToken();
    say('\nstored tokens (redacted):');
    say(`  issuer    ${status?.issuer}`);
    say(`  resource  ${status?.resource}`);
    say(`  client    ${status?.clientId}`);
    say(`  scope     ${status?.scope}`);
    say(`  expires   ${status?.expiresAt ? new Date(status.expiresAt).toISOString() : 'never'}`);
    say(`  access    (redacted, ${token.length} characters)`);
    say(`  refresh   ${status?.hasRefreshToken ? 'present' : 'none'}`);

    say('\nlogging out:');
    await oauth.logout();
    await client.close();
    say(
      `\nHTTP requests seen by the MCP server: ${mcp.stats.requests}; by the authorization server: ${as.stats.requests.total}`,
    );
    say('demo complete');
  } finally {
    await mcp.close();
    await as.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `demo failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
  );
  process.exit(1);
});
