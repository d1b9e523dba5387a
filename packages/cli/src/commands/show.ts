import { Command } from 'commander';
import { resolveServer } from '../aliases.ts';
import type { CommandContext } from '../context.ts';
import { formatExpiry, table } from '../format.ts';
import { oauthClientFor } from '../oauth-client.ts';
import { versioned } from '../output.ts';
import { runAction } from '../run-action.ts';
import { serverState } from '../server-state.ts';

export function showCommand(): Command {
  return new Command('show')
    .description('Show what is stored for a server, redacted: never the tokens themselves.')
    .argument('<name>', 'a name given at login, or the server URL')
    .option('--json', 'print as JSON on stdout')
    .addHelpText(
      'after',
      `
Shows the server, resource, authorization server (issuer), client, scopes, expiry,
whether a refresh token is kept, and the store. Exit code 3 when not logged in.

Examples:
  $ mcp-oauth show notion
  $ mcp-oauth show notion --json | jq .expiresAt`,
    )
    .action((name: string, options: { json?: boolean }, cmd: Command) =>
      runAction(cmd, (ctx) => show(ctx, name, options)),
    );
}

async function show(
  ctx: CommandContext,
  name: string,
  options: { json?: boolean },
): Promise<number> {
  const store = await ctx.store();
  const alias = await resolveServer(store, name);
  const state = await serverState(store, alias, await oauthClientFor(ctx, alias));
  if (options.json) {
    ctx.out.json(versioned(state));
  } else {
    const rows: [string, string][] = [
      ['name', state.name],
      ['server', state.serverUrl],
      ['resource', state.resource],
      ['status', state.state],
      ['issuer', state.issuer ?? '-'],
      [
        'client',
        state.clientId
          ? `${state.clientId}${state.clientSource ? ` (${state.clientSource.replaceAll('-', ' ')})` : ''}`
          : '-',
      ],
      ['scope', state.scope ?? '-'],
      ['token type', state.tokenType ?? '-'],
      [
        'expires',
        state.state === 'logged-out'
          ? '-'
          : formatExpiry(state.expiresAt ? Date.parse(state.expiresAt) : undefined),
      ],
      ['obtained', state.obtainedAt ?? '-'],
      [
        'refresh token',
        state.state === 'logged-out'
          ? '-'
          : state.hasRefreshToken
            ? 'yes (kept in the store)'
            : 'no',
      ],
      ['quirks', state.quirks.join(', ') || 'none'],
      ['store', state.store],
    ];
    for (const line of table(rows)) ctx.out.data(line);
  }
  return state.state === 'logged-out' ? 3 : 0;
}
