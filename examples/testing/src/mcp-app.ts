// The app under test: an MCP client that logs in with OAuth (@mcp-oauth/core) and calls tools
// through the official SDK client. In a real app `openBrowser` opens the person's browser and
// waits for the redirect (e.g. with @mcp-oauth/loopback); the tests pass `servers.approve`.
import {
  createOAuthClient,
  type McpOAuthEvent,
  memoryStore,
  type TokenStore,
} from '@mcp-oauth/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface McpAppOptions {
  serverUrl: string;
  /** Sends the person to the authorization URL; resolves with the redirect URL it ends on. */
  openBrowser(authorizationUrl: string): Promise<string>;
  store?: TokenStore;
  onEvent?: (event: McpOAuthEvent) => void;
}

export interface McpApp {
  /** Calls a tool and returns its text. */
  call(tool: string, args?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function connectMcpApp(options: McpAppOptions): Promise<McpApp> {
  const oauth = createOAuthClient({
    serverUrl: options.serverUrl,
    store: options.store ?? memoryStore(),
    interaction: {
      kind: 'redirect',
      prepare: async () => ({ redirectUri: 'http://127.0.0.1/callback' }),
      authorize: ({ authorizationUrl }) => options.openBrowser(authorizationUrl),
    },
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  const client = new Client({ name: 'my-mcp-app', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(options.serverUrl), { fetch: oauth.fetch }),
  );
  return {
    async call(tool, args = {}) {
      const result = await client.callTool({ name: tool, arguments: args });
      const content = (result.content ?? []) as { type: string; text?: string }[];
      return content.map((part) => part.text ?? '').join('');
    },
    close: () => client.close(),
  };
}
