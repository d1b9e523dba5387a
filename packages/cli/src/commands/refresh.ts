import { Command } from 'commander';
import { resolveServer } from '../aliases.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { formatExpiry } from '../format.ts';
import { notLoggedIn, withLoginHint } from '../login-needed.ts';
import { oauthClientFor } from '../oauth-client.ts';
import { loginLine } from '../option-flags.ts';
import { versioned } from '../output.ts';
import { runAction } from '../run-action.ts';

export function refreshCommand(): Command {
  return new Command('refresh')
    .description('Refresh the tokens of a server now, whatever their expiry.')
    .argument('<name>', 'a name given at login, or the server URL')
    .option('--json', 'print the new token information (no tokens) as JSON')
    .addHelpText(
      'after',
      `
Exit code 3 when there is no refresh token or the server rejected it (log in again).

Examples:
  $ mcp-oauth refresh notion
  $ mcp-oauth refresh notion --json`,
    )
    .action((name: string, options: { json?: boolean }, cmd: Command) =>
      runAction(cmd, async (ctx) => {
        const store = await ctx.store();
        const alias = await resolveServer(store, name, ctx.settings.storeFlags);
        const client = await oauthClientFor(ctx, alias, { progress: ['refreshed'] });
        const before = await client.status();
        if (!before) throw notLoggedIn(alias, ctx.settings.storeFlags);
        if (!before.hasRefreshToken) {
          throw new CliError(
            'no_refresh_token',
            `The server gave no refresh token for ${alias.name}; ${before.isExpired ? 'its token has expired: log in again' : 'when its token expires, log in again'} with \`${loginLine({ url: alias.serverUrl, name: alias.name, store: ctx.settings.storeFlags })}\`.`,
            EXIT.loginNeeded,
          );
        }
        // a rejected refresh token: the login command for this name, as every command tells it
        const info = await client.refresh().catch((error: unknown) => {
          throw withLoginHint(error, alias, ctx.settings.storeFlags);
        });
        if (options.json) {
          ctx.out.json(
            versioned({
              name: alias.name,
              ...info,
              expiresAt:
                info.expiresAt === undefined ? null : new Date(info.expiresAt).toISOString(),
              obtainedAt: new Date(info.obtainedAt).toISOString(),
            }),
          );
        } else {
          ctx.out.data(`Refreshed ${alias.name}: expires ${formatExpiry(info.expiresAt)}.`);
        }
      }),
    );
}
