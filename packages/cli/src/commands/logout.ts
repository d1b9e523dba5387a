import { Command } from 'commander';
import { deleteAlias, resolveServer } from '../aliases.ts';
import { formatExpiry } from '../format.ts';
import { oauthClientFor } from '../oauth-client.ts';
import { versioned } from '../output.ts';
import { runAction } from '../run-action.ts';

export function logoutCommand(): Command {
  return new Command('logout')
    .description(
      'Revoke the tokens at the server (RFC 7009), then delete them and the name locally.',
    )
    .argument('<name>', 'a name given at login, or the server URL')
    .option('--no-revoke', 'only delete locally, do not contact the server')
    .option('--json', 'print { name, revoked, warnings } as JSON')
    .addHelpText(
      'after',
      `
The local tokens are deleted even when revocation fails (the server is down, has no
revocation endpoint...): a warning says so and the exit code is still 0.

Examples:
  $ mcp-oauth logout notion
  $ mcp-oauth logout https://mcp.example.com/mcp --no-revoke`,
    )
    .action((name: string, options: { revoke: boolean; json?: boolean }, cmd: Command) =>
      runAction(cmd, async (ctx) => {
        const store = await ctx.store();
        const alias = await resolveServer(store, name, ctx.settings.storeFlags, true);
        const client = await oauthClientFor(ctx, alias, { progress: ['revoked'] });
        const held = await client.status();
        const wasLoggedIn = held !== undefined;
        const result = await client.logout({ revoke: options.revoke });
        // an unexpired access token not revoked (a self-contained JWT the server could not
        // revoke, or --no-revoke): servers that check it by themselves take it until it expires
        const accessTokenLives =
          held !== undefined && !held.isExpired && !result.revoked.includes('access_token');
        const accessTokenUntil =
          accessTokenLives && held.expiresAt !== undefined ? held.expiresAt : undefined;
        // one line per distinct failure (both tokens meet the same unreachable server), what
        // happened only: the tokens are gone from here, there is nothing to retry with
        const failures = new Set(
          result.warnings.map((w) => `${w.message.split(/(?<=\.) /)[0]} [${w.code}]`),
        );
        for (const failure of failures)
          ctx.out.warn(`not revoked at the authorization server: ${failure}`);
        const refreshTokenLives =
          options.revoke &&
          held?.hasRefreshToken === true &&
          !result.revoked.includes('refresh_token');
        const named = await deleteAlias(store, alias.name);
        if (options.json) {
          ctx.out.json(
            versioned({
              name: alias.name,
              serverUrl: alias.serverUrl,
              wasLoggedIn,
              revoked: result.revoked,
              // an access token not revoked: it may be accepted (where checked locally) until
              // then; null when it may not be, or its expiry is not known
              accessTokenMayStillBeAccepted: accessTokenLives,
              accessTokenUsableUntil: accessTokenUntil
                ? new Date(accessTokenUntil).toISOString()
                : null,
              warnings: result.warnings.map((w) => ({ code: w.code, message: w.message })),
              deleted: true,
            }),
          );
        } else if (wasLoggedIn || named) {
          ctx.out.info(
            `Logged out of ${alias.serverUrl}${result.revoked.length ? ` (revoked: ${result.revoked.join(', ').replaceAll('_', ' ')})` : ''}.`,
          );
          if (refreshTokenLives)
            ctx.out.info(
              'The refresh token was deleted here but not revoked: the authorization server may still accept it until it expires.',
            );
          if (accessTokenLives && options.revoke)
            ctx.out.info(
              `The authorization server did not revoke the access token itself: servers that check it on their own may accept it until it expires${accessTokenUntil ? `, ${formatExpiry(accessTokenUntil)}` : ''}.`,
            );
        } else {
          ctx.out.info(`Was not logged in to ${alias.serverUrl}.`);
        }
      }),
    );
}
