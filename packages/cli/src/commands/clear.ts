import type { TokenStore } from '@mcp-oauth/core';
import { canonicalResource } from '@mcp-oauth/core/flow';
import { pruneStore, storeKeys } from '@mcp-oauth/core/store';
import { Command } from 'commander';
import { type CliAliasRecord, listAliases, resolveServer } from '../aliases.ts';
import { confirm } from '../confirm.ts';
import type { CommandContext } from '../context.ts';
import { usageError } from '../exit-codes.ts';
import { versioned } from '../output.ts';
import { runAction } from '../run-action.ts';
import { cachedDiscovery } from '../server-state.ts';

interface ClearOptions {
  all?: boolean;
  expired?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
}

export function clearCommand(): Command {
  return new Command('clear')
    .description(
      "Delete local data without contacting the server: one server's tokens, discovery and name (and its client registration when no other name uses it), what can no longer be used (--expired), or everything (--all).",
    )
    .argument('[name]', 'a name given at login, or the server URL')
    .option(
      '--all',
      'delete every record of this store namespace (tokens, names, client registrations, discovery)',
    )
    .option(
      '--expired',
      'delete only what can no longer be used: tokens expired without a refresh token, client registrations no stored server uses, DPoP keys without tokens (names are kept)',
    )
    .option('--dry-run', 'with --expired: list what would be deleted, delete nothing')
    .option('-y, --yes', 'do not ask for confirmation (needed for --all without a terminal)')
    .option('--json', 'print the deleted record keys as JSON')
    .addHelpText(
      'after',
      `
Nothing is revoked: use logout for that. Tokens that are deleted but not revoked stay
valid at the server until they expire.

--expired keeps names (and the discovery of their servers): list shows a name whose
tokens were removed as needing a login, and login <name> logs in again with its settings.
Remove a name with clear <name>.

Examples:
  $ mcp-oauth clear notion
  $ mcp-oauth clear --expired --dry-run
  $ mcp-oauth clear --all --yes`,
    )
    .action((name: string | undefined, options: ClearOptions, cmd: Command) =>
      runAction(cmd, (ctx) => clear(ctx, name, options)),
    );
}

async function clear(
  ctx: CommandContext,
  name: string | undefined,
  options: ClearOptions,
): Promise<number> {
  const modes = [name !== undefined, options.all === true, options.expired === true];
  if (modes.filter(Boolean).length !== 1) throw usageError('Give a name, --expired or --all.');
  if (options.dryRun && !options.expired)
    throw usageError('--dry-run goes with --expired: mcp-oauth clear --expired --dry-run');
  const store = await ctx.store();
  if (options.expired) return expired(ctx, store, options);
  const keys = options.all
    ? await everything(ctx, store, options)
    : await forServer(store, name as string, ctx.settings.storeFlags);
  if (keys === undefined) {
    ctx.out.info('Nothing deleted.');
    return 1;
  }
  const deleted: string[] = [];
  for (const key of keys) if (await store.delete(key)) deleted.push(key);
  if (options.json) ctx.out.json(versioned({ deleted }));
  else
    ctx.out.info(
      `Deleted ${deleted.length} record${deleted.length === 1 ? '' : 's'} from ${store.description}.`,
    );
  return 0;
}

/** `--expired`: core's pruneStore, under each token record's lock; names are kept. */
async function expired(
  ctx: CommandContext,
  store: TokenStore,
  options: ClearOptions,
): Promise<number> {
  const dryRun = options.dryRun === true;
  const pruned = await pruneStore(store, { dryRun });
  const keys = [...pruned.tokens, ...pruned.registrations, ...pruned.dpopKeys];
  if (options.json) {
    ctx.out.json(versioned({ dryRun, deleted: dryRun ? [] : keys, ...pruned }));
    return 0;
  }
  const records = (n: number) => `${n} record${n === 1 ? '' : 's'}`;
  const parts = [
    [pruned.tokens.length, 'expired token record'],
    [pruned.registrations.length, 'unused client registration'],
    [pruned.dpopKeys.length, 'DPoP key'],
  ] as const;
  const counts = parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}${n === 1 ? '' : 's'}`)
    .join(', ');
  if (dryRun) {
    for (const key of keys) ctx.out.data(key);
    ctx.out.info(
      `Would delete ${records(keys.length)} from ${store.description}${counts ? ` (${counts})` : ''}; nothing was deleted.`,
    );
  } else {
    ctx.out.info(
      `Deleted ${records(keys.length)} that can no longer be used from ${store.description}${counts ? ` (${counts})` : ''}.`,
    );
  }
  return 0;
}

async function everything(
  ctx: CommandContext,
  store: TokenStore,
  options: ClearOptions,
): Promise<string[] | undefined> {
  const keys = await store.list('');
  if (keys.length === 0) return [];
  const ok = await confirm(
    `Delete all ${keys.length} records (tokens, names, registrations) from ${store.description}?`,
    options.yes,
  );
  ctx.out.info('');
  return ok ? keys : undefined;
}

async function forServer(store: TokenStore, name: string, storeFlags: string): Promise<string[]> {
  const alias = await resolveServer(store, name, storeFlags, true);
  const discovery = await cachedDiscovery(store, alias.serverUrl);
  const resource = discovery?.resource ?? canonicalResource(alias.serverUrl);
  const tokens = (await store.list('tokens:')).filter((key) => key.endsWith(` ${resource}`));
  return [
    ...tokens,
    storeKeys.discovery(canonicalResource(alias.serverUrl)),
    storeKeys.alias(alias.name),
    ...(await unusedClientRecords(store, alias, discovery?.issuer, tokens)),
  ];
}

/**
 * The client records that nothing uses once `alias` is cleared: the registration with its
 * authorization server (`client:<issuer>`) when no other name and no other tokens are bound
 * to that issuer (a registration the server forgot would otherwise be used again at the
 * next login), and the issuer binding of the client id it was logged in with when no other
 * name uses that id.
 */
async function unusedClientRecords(
  store: TokenStore,
  alias: CliAliasRecord,
  issuer: string | undefined,
  clearedTokens: string[],
): Promise<string[]> {
  if (!issuer) return [];
  const others = (await listAliases(store)).filter((a) => a.name !== alias.name);
  const issuers = await Promise.all(others.map((a) => cachedDiscovery(store, a.serverUrl)));
  const tokensLeft = (await store.list(`tokens:${issuer} `)).some(
    (key) => !clearedTokens.includes(key),
  );
  const keys: string[] = [];
  if (!tokensLeft && !issuers.some((d) => d?.issuer === issuer))
    keys.push(storeKeys.client(issuer));
  const clientId = alias.settings?.clientId;
  if (clientId && !others.some((a) => a.settings?.clientId === clientId))
    keys.push(storeKeys.binding(clientId));
  return keys;
}
