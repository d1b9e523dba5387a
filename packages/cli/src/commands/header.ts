import { Command } from 'commander';
import { header } from '../actions/header.ts';
import { runAction } from '../run-action.ts';

export function headerCommand(): Command {
  return new Command('header')
    .description(
      'Print an HTTP Authorization header with a valid access token (refreshed when due).',
    )
    .argument('<name>', 'a name given at login, or the server URL')
    .option('--json', 'print { "Authorization": "Bearer ..." } as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ curl -H "$(mcp-oauth header notion)" https://mcp.notion.com/mcp
  $ mcp-oauth header notion --json > headers.json

DPoP-bound tokens (login --dpop) need a fresh proof per request, signed for its method
and URL: no fixed header can carry one, so header refuses them.`,
    )
    .action((name: string, options: { json?: boolean }, cmd: Command) =>
      runAction(cmd, (ctx) => header(ctx, name, options)),
    );
}
