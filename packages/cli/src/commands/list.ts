import { Command, Option } from 'commander';
import { list } from '../actions/list.ts';
import { runAction } from '../run-action.ts';

export function listCommand(): Command {
  return new Command('list')
    .alias('ls')
    .description('List the servers logged in to (names, URLs, token status). No tokens are shown.')
    .option('--json', 'print as JSON on stdout (an array)')
    .addOption(
      new Option(
        '--names',
        'print only the names, one a line (no token is read; what shell completion asks)',
      ).conflicts('json'),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ mcp-oauth list
  $ mcp-oauth list --json | jq -r '.[] | select(.state != "valid") | .name'
  $ mcp-oauth list --names | xargs -n 1 mcp-oauth refresh`,
    )
    .action((options: { json?: boolean; names?: boolean }, cmd: Command) =>
      runAction(cmd, (ctx) => list(ctx, options)),
    );
}
