import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

function text(value: string) {
  return { content: [{ type: 'text' as const, text: value }] };
}

/**
 * A fresh McpServer with the test tools: `echo` (returns `text`), `add` (a + b), `whoami`
 * (the token's sub, client_id and scopes, as JSON text) and `admin_reset` (returns "reset";
 * its scope is enforced over HTTP by `requireToolScopes`).
 */
export function createMcpServer(): McpServer {
  const server = new McpServer({ name: 'mcp-oauth-test-server', version: '0.0.0' });
  server.registerTool(
    'echo',
    { description: 'Returns its text argument.', inputSchema: { text: z.string() } },
    async ({ text: value }) => text(value),
  );
  server.registerTool(
    'add',
    { description: 'Adds two numbers.', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => text(String(a + b)),
  );
  server.registerTool(
    'whoami',
    { description: "The access token's subject, client and scopes." },
    async (extra) => {
      const auth = extra.authInfo;
      return text(
        JSON.stringify({
          sub: auth?.extra?.sub ?? null,
          client_id: auth?.clientId ?? null,
          scopes: auth?.scopes ?? [],
        }),
      );
    },
  );
  server.registerTool(
    'admin_reset',
    { description: 'An administrative tool that requires the mcp:admin scope.' },
    async () => text('reset'),
  );
  return server;
}
