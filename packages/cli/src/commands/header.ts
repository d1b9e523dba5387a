import { Command } from 'commander';
import { runAction } from '../run-action.ts';
import { validToken } from './token.ts';

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
  $ mcp-oauth header notion --json > headers.json`,
    )
    .action((name: string, options: { json?: boolean }, cmd: Command) =>
      runAction(cmd, async (ctx) => {
        const { accessToken, tokenType } = await validToken(ctx, name);
        const scheme = tokenType.toLowerCase() === 'bearer' ? 'Bearer' : tokenType;
        if (options.json) ctx.out.json({ Authorization: `${scheme} ${accessToken}` });
        else ctx.out.data(`Authorization: ${scheme} ${accessToken}`);
      }),
    );
}
