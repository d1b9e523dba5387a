import { isValidName, listAliases } from '../aliases.ts';
import type { CommandContext } from '../context.ts';
import { columns, formatDuration } from '../format.ts';
import { versioned } from '../output.ts';
import { type ServerState, serverState, unreadableState } from '../server-state.ts';
import { fileStoreMayExist } from '../stores/file-directory.ts';

/**
 * `mcp-oauth list`: the servers logged in to, no tokens shown. `names`: only the names, one a
 * line, from the name records alone (no token is read or decrypted): what shell completion asks.
 */
export async function list(
  ctx: CommandContext,
  options: { json?: boolean; names?: boolean },
): Promise<number> {
  // opened (its settings checked) but not read where no store was made: asking makes none
  const { store, kind } = await ctx.storeInfo();
  const made = fileStoreMayExist(ctx.settings, kind);
  if (options.names) {
    // only names a shell can take as they are (a shared store's records are other people's words)
    if (!made) return 0;
    for (const alias of await listAliases(store))
      if (isValidName(alias.name)) ctx.out.data(alias.name);
    return 0;
  }
  if (!made) {
    // a folder no store was made in (a mistyped --dir): said, and not made by asking
    if (options.json) ctx.out.json([]);
    else
      ctx.out.info(
        `No store in ${ctx.settings.dir ?? 'the default folder'} (nothing was ever stored there). Log in with: mcp-oauth login <url>${ctx.settings.storeFlags ? ` ${ctx.settings.storeFlags}` : ''}`,
      );
    return 0;
  }
  const states: ServerState[] = [];
  for (const alias of await listAliases(store)) {
    try {
      states.push(await serverState(ctx, store, alias));
    } catch (error) {
      // one damaged record hides no other server: it is listed as unreadable, with what to do
      const code = (error as { code?: unknown }).code;
      if (code !== 'store_corrupt' && code !== 'store_read_failed') throw error;
      const { loginLine } = await import('../option-flags.ts');
      const flags = ctx.settings.storeFlags;
      const login = loginLine({ url: alias.serverUrl, name: alias.name, store: flags });
      ctx.out.warn(
        `The stored records of ${alias.name} cannot be read (${code}): log in again with \`${login}\`, or remove them with \`mcp-oauth clear ${alias.name}${flags ? ` ${flags}` : ''}\`.`,
      );
      states.push(await unreadableState(store, alias));
    }
  }
  if (options.json) {
    ctx.out.json(states.map((state) => versioned(state)));
    return 0;
  }
  if (states.length === 0) {
    ctx.out.info(`No servers in ${store.description}. Log in with: mcp-oauth login <url>`);
    return 0;
  }
  const now = Date.now();
  const expiry = (s: ServerState) => {
    if (!s.expiresAt) return '-';
    const at = Date.parse(s.expiresAt);
    return at > now ? `in ${formatDuration(at - now)}` : `${formatDuration(now - at)} ago`;
  };
  const rows = [
    ['NAME', 'STATUS', 'EXPIRES', 'SCOPE', 'SERVER'],
    ...states.map((s) => [s.name, s.state, expiry(s), s.scope ?? '-', s.serverUrl]),
  ];
  for (const line of columns(rows)) ctx.out.data(line);
  return 0;
}
