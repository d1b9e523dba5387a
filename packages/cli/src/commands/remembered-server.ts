import { type CliAliasRecord, isValidName, listAliases, readAlias } from '../aliases.ts';
import type { CommandContext } from '../context.ts';
import { CliError, EXIT, usageError } from '../exit-codes.ts';
import { nearName } from '../near-name.ts';
import type { LoginOptions } from './login-settings.ts';

/**
 * The alias record of the name `login <name>` was given; a usage error when no server has that
 * name (with the way to log in with a URL, and a name near it, if any).
 */
export async function rememberedServer(
  ctx: CommandContext,
  name: string,
  options: LoginOptions,
): Promise<CliAliasRecord | undefined> {
  // neither a URL nor a name: the URL parser says what is wrong with it
  if (!isValidName(name)) return undefined;
  const store = ctx.settings.storeFlags ? ` ${ctx.settings.storeFlags}` : '';
  if (options.name !== undefined && options.name !== name)
    throw usageError(
      `--name names the server of a URL, and "${name}" is already a name: log in again without --name (mcp-oauth login ${name}${store}), or, to rename it, log out (mcp-oauth logout ${name}${store}) and log in with its URL and --name ${options.name}.`,
    );
  const opened = await ctx.store();
  const alias = await readAlias(opened, name);
  if (alias) return alias;
  const near = nearName(
    name,
    (await listAliases(opened)).map((a) => a.name),
  );
  throw new CliError(
    'unknown_name',
    `No server is named "${name}" in ${opened.description}: login takes the URL of an MCP server (https://...), or a name given at an earlier login.${near ? ` Did you mean "${near}" (mcp-oauth login ${near}${store})?` : ''} To log in to a server and name it "${name}": mcp-oauth login <url> --name ${name}${store}`,
    EXIT.usage,
  );
}
