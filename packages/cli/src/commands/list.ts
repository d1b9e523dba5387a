import { Command } from 'commander';
import { list } from '../actions/list.ts';
import { runAction } from '../run-action.ts';

export function listCommand(): Command {
  return new Command('list')
    .alias('ls')
    .description('List the servers logged in to (names, URLs, token status). No tokens are shown.')
    .option('--json', 'print as JSON on stdout (an array)')
    .addHelpText(
      'after',
      `
Examples:
  $ mcp-oauth list
  $ mcp-oauth list --json | jq -r '.[] | select(.state != "valid") | .name'`,
    )
    .action((options: { json?: boolean }, cmd: Command) =>
      runAction(cmd, (ctx) => list(ctx, options)),
    );
}
