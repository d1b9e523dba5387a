import { Command } from 'commander';
import { show } from '../actions/show.ts';
import { runAction } from '../run-action.ts';

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
