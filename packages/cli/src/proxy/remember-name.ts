import { canonicalResource } from '@mcp-oauth/core/flow';
import {
  type CliAliasRecord,
  defaultName,
  isUrl,
  listAliases,
  readAlias,
  type ServerSettings,
  writeAlias,
} from '../aliases.ts';
import type { CommandContext } from '../context.ts';

/** A server first reached by URL gets the name `login` would give it, if that name is free. */
export async function rememberName(
  ctx: CommandContext,
  alias: CliAliasRecord,
  settings: ServerSettings,
): Promise<void> {
  const store = await ctx.store();
  if (!isUrl(alias.name)) {
    if (settings.allowHttp && !alias.settings?.allowHttp)
      await writeAlias(store, { ...alias, settings: { ...alias.settings, allowHttp: true } });
    return;
  }
  const name = defaultName(alias.serverUrl);
  const resource = canonicalResource(alias.serverUrl);
  if (await readAlias(store, name)) return;
  if ((await listAliases(store)).some((a) => canonicalResource(a.serverUrl) === resource)) return;
  await writeAlias(store, {
    v: 1,
    kind: 'alias',
    name,
    serverUrl: alias.serverUrl,
    createdAt: Date.now(),
    settings,
  });
}
