import { Command } from 'commander';
import { token } from '../actions/token.ts';
import { runAction } from '../run-action.ts';

export function tokenCommand(): Command {
  return new Command('token')
    .description(
      'Print a valid access token for a server on stdout (refreshed first when it is due).',
    )
    .argument('<name>', 'a name given at login, or the server URL')
    .option('--json', 'print { accessToken, tokenType, expiresAt, scope } as JSON')
    .addHelpText(
      'after',
      `
Never logs in: when the tokens are gone or the refresh token is rejected, it fails
with exit code 3 (run mcp-oauth login again). The token is the only thing on stdout.
A DPoP-bound token (tokenType "dpop" in --json) is printed with a warning: servers
refuse it as a Bearer token, since each request must carry a DPoP proof made with this
client's key (see login --dpop, and test or proxy, which send the proofs).

Examples:
  $ curl -H "Authorization: Bearer $(mcp-oauth token notion)" https://mcp.notion.com/mcp
  $ mcp-oauth token notion --json | jq -r .expiresAt`,
    )
    .action((name: string, options: { json?: boolean }, cmd: Command) =>
      runAction(cmd, (ctx) => token(ctx, name, options)),
    );
}
