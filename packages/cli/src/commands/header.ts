import { Command } from 'commander';
import { CliError, EXIT } from '../exit-codes.ts';
import { loginLine } from '../option-flags.ts';
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
  $ mcp-oauth header notion --json > headers.json

DPoP-bound tokens (login --dpop) need a fresh proof per request, signed for its method
and URL: no fixed header can carry one, so header refuses them.`,
    )
    .action((name: string, options: { json?: boolean }, cmd: Command) =>
      runAction(cmd, async (ctx) => {
        const {
          token: { accessToken, tokenType },
          server,
        } = await validToken(ctx, name);
        if (tokenType.toLowerCase() === 'dpop') {
          throw new CliError(
            'dpop_bound',
            `The tokens for ${server.name} are DPoP-bound (RFC 9449): every request needs a fresh DPoP proof for its method and URL, signed with this client's key, so no fixed Authorization header can carry them. Reach the server through commands that send proofs (\`mcp-oauth test ${server.name}\`, or \`mcp-oauth proxy ${server.name}\` for an MCP host), or, if the MCP server also accepts Bearer tokens, log in again with: ${loginLine({ url: server.serverUrl, name: server.name }, '--dpop off')}`,
            EXIT.failure,
          );
        }
        const scheme = tokenType.toLowerCase() === 'bearer' ? 'Bearer' : tokenType;
        if (options.json) ctx.out.json({ Authorization: `${scheme} ${accessToken}` });
        else ctx.out.data(`Authorization: ${scheme} ${accessToken}`);
      }),
    );
}
