#!/usr/bin/env node
/**
 * The client under test: `node dist/client.js <server-url>`.
 *
 * Built only on the public API of @mcp-oauth/core and the official MCP SDK, with
 * one code path for every scenario: the scenario's credentials come from
 * `MCP_CONFORMANCE_CONTEXT` as configuration; everything else (discovery,
 * registration, grant, scopes, step-up) is the library's behaviour.
 */
import { createOAuthClient, type McpOAuthEvent } from '@mcp-oauth/core';
import { clientCredentials } from '@mcp-oauth/core/client-credentials';
import { dpop } from '@mcp-oauth/core/dpop';
import { headlessInteraction } from '@mcp-oauth/core/flow';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { clientConfigFrom, extraInteractionsFrom, readContext } from './context.ts';

const REDIRECT_URI = 'http://127.0.0.1:3999/callback';

async function main(argv: string[]): Promise<void> {
  const serverUrl = argv.at(-1);
  if (!serverUrl || argv.length < 3) throw new Error('usage: client.js <server-url>');
  const log = (line: string) => process.stderr.write(`[client] ${line}\n`);

  const context = readContext(process.env);
  const oauth = createOAuthClient({
    serverUrl,
    // in order of preference: the first whose grant the server supports is used
    interaction: [
      headlessInteraction({ redirectUri: REDIRECT_URI }),
      clientCredentials(),
      // an enterprise IdP's ID token, a workload's platform token: when the context has them
      ...extraInteractionsFrom(context),
    ],
    dpop: dpop(),
    client: clientConfigFrom(context),
    onEvent: (event: McpOAuthEvent) => log(JSON.stringify(event)),
  });

  // 'auto': 2026-07-28 servers get the stateless protocol (server/discover),
  // older ones the initialize handshake.
  const client = new Client(
    { name: 'mcp-oauth-conformance-client', version: '0.0.0' },
    { capabilities: {}, versionNegotiation: { mode: 'auto' } },
  );
  const transport = new StreamableHTTPClientTransport(new URL(serverUrl), { fetch: oauth.fetch });
  await client.connect(transport);
  log('connected');
  const { tools } = await client.listTools();
  log(`tools: ${tools.map((t) => t.name).join(', ') || '(none)'}`);
  const tool = tools[0];
  if (tool) {
    const result = await client.callTool({ name: tool.name, arguments: {} });
    log(`called ${tool.name}: ${result.isError ? 'error' : 'ok'}`);
  }
  await transport.close();
}

main(process.argv).then(
  () => process.exit(0),
  (error: unknown) => {
    const e = error as { code?: string; message?: string; cause?: unknown };
    process.stderr.write(
      `[client] failed: ${e?.code ? `${e.code}: ` : ''}${e?.message ?? String(error)}\n`,
    );
    if (e?.cause)
      process.stderr.write(`[client] cause: ${String((e.cause as Error)?.message ?? e.cause)}\n`);
    process.exit(1);
  },
);
