// A command-line MCP client: browser login on 127.0.0.1, tokens encrypted on disk and shared
// by every process of the user, the official SDK's transport. (root README, core README)

import { createOAuthClient, McpOAuthError } from '@mcp-oauth/core';
import { loopbackInteraction } from '@mcp-oauth/loopback';
import { fileStore } from '@mcp-oauth/store-file';
import { createFetch } from '@mcp-oauth/transport-fetch';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export async function main(): Promise<void> {
  const oauth = createOAuthClient({
    serverUrl: 'https://mcp.example.com/mcp',
    store: fileStore(),
    fetch: createFetch({ headersTimeoutMs: 15_000 }),
    interaction: loopbackInteraction(),
    client: { clientName: 'My MCP app' },
    onEvent: (event) => console.error(event.type),
  });
  const client = new Client({ name: 'my-app', version: '1.0.0' });
  try {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(oauth.serverUrl), { fetch: oauth.fetch }),
    );
    console.log(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }));
  } catch (error) {
    if (McpOAuthError.isInstance(error)) {
      switch (error.code) {
        case 'issuer_mismatch':
        case 'pkce_unsupported':
          console.error('The server is not conforming:', error.message);
          break;
        default:
          console.error(error.code, error.message);
      }
    }
    throw error;
  } finally {
    await client.close();
  }
}
