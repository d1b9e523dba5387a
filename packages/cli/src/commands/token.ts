import { Command } from 'commander';
import { resolveServer } from '../aliases.ts';
import type { CommandContext } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { withLoginHint } from '../login-needed.ts';
import { oauthClientFor } from '../oauth-client.ts';
import { versioned } from '../output.ts';
import { runAction } from '../run-action.ts';

/**
 * A valid access token for a named server, refreshed first when due, and the server it is for.
 * Shared by `token` and `header`.
 */
export async function validToken(ctx: CommandContext, name: string) {
  const store = await ctx.store();
  const alias = await resolveServer(store, name);
  const client = await oauthClientFor(ctx, alias, { progress: ['registration_dropped'] });
  if (!(await client.status())) {
    throw new CliError(
      'not_logged_in',
      `Not logged in to ${alias.serverUrl}. Log in: mcp-oauth login ${alias.serverUrl} --name ${alias.name}`,
      EXIT.loginNeeded,
    );
  }
  const accessToken = await client.getAccessToken().catch((error: unknown) => {
    throw withLoginHint(error, alias);
  });
  const info = await client.status();
  return {
    token: {
      accessToken,
      tokenType: info?.tokenType ?? 'Bearer',
      expiresAt: info?.expiresAt,
      scope: info?.scope,
    },
    server: alias,
  };
}

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
A DPoP-bound token (tokenType "dpop" in --json) is refused as a Bearer token: each
request must carry a DPoP proof made with this client's key (see login --dpop).

Examples:
  $ curl -H "Authorization: Bearer $(mcp-oauth token notion)" https://mcp.notion.com/mcp
  $ mcp-oauth token notion --json | jq -r .expiresAt`,
    )
    .action((name: string, options: { json?: boolean }, cmd: Command) =>
      runAction(cmd, async (ctx) => {
        const { token } = await validToken(ctx, name);
        if (token.tokenType.toLowerCase() === 'dpop')
          ctx.out.info(
            'This token is DPoP-bound: servers refuse it as a Bearer token; each request needs a DPoP proof (RFC 9449).',
          );
        if (options.json) {
          ctx.out.json(
            versioned({
              ...token,
              expiresAt:
                token.expiresAt === undefined ? null : new Date(token.expiresAt).toISOString(),
              scope: token.scope ?? null,
            }),
          );
        } else {
          ctx.out.data(token.accessToken);
        }
      }),
    );
}
