import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Command } from 'commander';
import { type CliAliasRecord, resolveServer } from '../aliases.ts';
import type { CommandContext } from '../context.ts';
import {
  notLoggedIn,
  withLoginHint,
  withRefusedTokensHint,
  withStepUpHint,
} from '../login-needed.ts';
import { oauthClientFor } from '../oauth-client.ts';
import { versioned } from '../output.ts';
import { runAction } from '../run-action.ts';
import { VERSION } from '../version.ts';

export function testCommand(): Command {
  return new Command('test')
    .description(
      'Connect with the official MCP SDK client: initialize, tools/list, and print the tools.',
    )
    .argument('<name>', 'a name given at login, or the server URL')
    .option('--json', 'print { server, protocolVersion, tools } as JSON')
    .addHelpText(
      'after',
      `
Uses the stored tokens (refreshed when due; step-up on 403 insufficient_scope needs a
new login). Exit code 3 when not logged in.

Examples:
  $ mcp-oauth test notion
  $ mcp-oauth test notion --json | jq -r '.tools[].name'`,
    )
    .action((name: string, options: { json?: boolean }, cmd: Command) =>
      runAction(cmd, async (ctx) => {
        const store = await ctx.store();
        const alias = await resolveServer(store, name, ctx.settings.storeFlags);
        // the scope a 403 asked for (core's step-up event): a login that adds it is told
        let stepUp: string | undefined;
        const oauth = await oauthClientFor(ctx, alias, {
          progress: ['refreshed', 'registration_dropped'],
          onEvent: (event) => {
            if (event.type === 'step_up') stepUp = event.scope;
          },
        });
        const held = await oauth.status();
        if (!held) throw notLoggedIn(alias, ctx.settings.storeFlags);
        // usable tokens first (refreshed when due), so that "log in again" is told as such
        await oauth.getAccessToken().catch((error: unknown) => {
          throw withLoginHint(error, alias, ctx.settings.storeFlags);
        });
        // the MCP SDK client: loaded by this command only
        const [{ Client }, { StreamableHTTPClientTransport }] = await Promise.all([
          import('@modelcontextprotocol/sdk/client/index.js'),
          import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
        ]);
        const client = new Client({ name: 'mcp-oauth-cli', version: VERSION });
        const transport = new StreamableHTTPClientTransport(new URL(alias.serverUrl), {
          fetch: oauth.fetch as typeof globalThis.fetch,
        });
        try {
          await listTools(client, transport, alias, options, ctx).catch((error: unknown) => {
            throw stepUp
              ? withStepUpHint(error, alias, stepUp, ctx.settings.storeFlags)
              : withRefusedTokensHint(error, alias, ctx.settings.storeFlags, held.tokenType);
          });
        } finally {
          await client.close().catch(() => {});
        }
      }),
    );
}

/** initialize, then tools/list (every page), printed. */
async function listTools(
  client: Client,
  transport: StreamableHTTPClientTransport,
  alias: CliAliasRecord,
  options: { json?: boolean },
  ctx: CommandContext,
): Promise<void> {
  await client.connect(transport);
  const server = client.getServerVersion();
  const tools: {
    name: string;
    title?: string | undefined;
    description?: string | undefined;
  }[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  if (options.json) {
    ctx.out.json(
      versioned({
        name: alias.name,
        serverUrl: alias.serverUrl,
        server: server ? { name: server.name, version: server.version } : null,
        protocolVersion: transport.protocolVersion ?? null,
        tools: tools.map((t) => ({
          name: t.name,
          title: t.title ?? null,
          description: t.description ?? null,
        })),
      }),
    );
  } else {
    ctx.out.info(
      `Connected to ${server ? `${server.name} ${server.version}` : alias.serverUrl}${transport.protocolVersion ? ` (MCP ${transport.protocolVersion})` : ''}: ${tools.length} tool${tools.length === 1 ? '' : 's'}.`,
    );
    const width = Math.max(0, ...tools.map((t) => t.name.length));
    for (const tool of tools)
      ctx.out.data(
        `${tool.name.padEnd(width)}  ${firstLine(tool.description ?? tool.title ?? '')}`.trimEnd(),
      );
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}
