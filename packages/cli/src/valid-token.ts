import { resolveServer } from './aliases.ts';
import type { CommandContext } from './context.ts';
import { needsNoRefresh, readStoredTokens } from './stored-tokens.ts';

/**
 * A valid access token for a named server, refreshed first when due, and the server it is for.
 * Shared by `token` and `header`. Tokens with no refresh due are answered from the store alone;
 * core's client (and with it HTTP) is loaded only to refresh or to judge an unusual record.
 */
export async function validToken(ctx: CommandContext, name: string) {
  const store = await ctx.store();
  const alias = await resolveServer(store, name, ctx.settings.storeFlags);
  ctx.target ??= { url: alias.serverUrl, name: alias.name, store: ctx.settings.storeFlags };
  const stored = await readStoredTokens(store, alias.serverUrl);
  if (stored?.tokens && needsNoRefresh(stored.tokens)) {
    const { accessToken, tokenType, expiresAt, scope } = stored.tokens;
    return { token: { accessToken, tokenType, expiresAt, scope }, server: alias };
  }
  const [{ oauthClientFor }, { notLoggedIn, withLoginHint }] = await Promise.all([
    import('./oauth-client.ts'),
    import('./login-needed.ts'),
  ]);
  const client = await oauthClientFor(ctx, alias, { progress: ['registration_dropped'] });
  if (!(await client.status())) {
    throw notLoggedIn(alias, ctx.settings.storeFlags);
  }
  const accessToken = await client.getAccessToken().catch((error: unknown) => {
    throw withLoginHint(error, alias, ctx.settings.storeFlags);
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
