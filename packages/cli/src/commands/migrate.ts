import type { TokenStore } from '@mcp-oauth/core';
import { Command, Option } from 'commander';
import type { CommandContext } from '../context.ts';
import { CliError, EXIT, usageError } from '../exit-codes.ts';
import { versioned } from '../output.ts';
import { runAction } from '../run-action.ts';
import { type ConcreteStoreKind, parseStoreKind, valuesFor } from '../settings.ts';

/** The stores records can be moved between (not `auto`, not `memory`). */
const PERSISTENT_KINDS = ['keychain', 'file', 'redis'] as const;

interface MigrateOptions {
  from: string;
  to: string;
  keep?: boolean;
  force?: boolean;
  json?: boolean;
}

export function migrateCommand(): Command {
  return new Command('migrate')
    .description(
      'Move every record (tokens, names, client registrations, discovery) from one store to another.',
    )
    .addOption(
      valuesFor(new Option('--from <store>', 'source').makeOptionMandatory(), PERSISTENT_KINDS),
    )
    .addOption(
      valuesFor(new Option('--to <store>', 'destination').makeOptionMandatory(), PERSISTENT_KINDS),
    )
    .option('--keep', 'copy only: keep the records in the source')
    .option('--force', 'overwrite records that already exist in the destination')
    .option('--json', 'print { from, to, moved, skipped } as JSON')
    .addHelpText(
      'after',
      `
The namespace (--namespace) and the file store's folder and key (--dir,
MCP_OAUTH_PASSPHRASE) apply to both sides. Each record is copied under its store lock
(so no refresh is lost meanwhile), read back, and only then deleted from the source.
Without --force nothing is done when the destination already holds one of the keys.

Examples:
  $ mcp-oauth migrate --from file --to keychain
  $ mcp-oauth migrate --from keychain --to file --keep
  $ MCP_OAUTH_REDIS_URL=... MCP_OAUTH_REDIS_KEY=... mcp-oauth migrate --from file --to redis --keep`,
    )
    .action((options: MigrateOptions, cmd: Command) =>
      runAction(cmd, (ctx) => migrate(ctx, options)),
    );
}

function persistentKind(value: string, flag: string): ConcreteStoreKind {
  const kind = parseStoreKind(value, flag);
  if (kind === 'auto' || kind === 'memory')
    throw usageError(`${flag} must be keychain, file or redis (got "${value}").`);
  return kind;
}

async function migrate(ctx: CommandContext, options: MigrateOptions): Promise<number> {
  const from = persistentKind(options.from, '--from');
  const to = persistentKind(options.to, '--to');
  if (from === to) throw usageError('--from and --to name the same store.');
  const { openBackend } = await import('../stores/open-store.ts');
  const source = await openBackend(from, ctx.settings, ctx.out);
  const destination = await openBackend(to, ctx.settings, ctx.out);
  try {
    const keys = (await source.list('')).sort();
    const existing = new Set(await destination.list(''));
    const conflicts = keys.filter((k) => existing.has(k));
    if (conflicts.length && !options.force) {
      throw new CliError(
        'migrate_conflict',
        `${destination.description} already holds ${conflicts.length} of these records (${conflicts.slice(0, 3).join(', ')}${conflicts.length > 3 ? ', …' : ''}). Nothing was moved; pass --force to overwrite them.`,
        EXIT.failure,
      );
    }
    const moved: string[] = [];
    for (const key of keys)
      if (await moveOne(source, destination, key, options.keep === true)) moved.push(key);
    if (options.json) {
      ctx.out.json(
        versioned({
          from: source.description,
          to: destination.description,
          moved,
          kept: options.keep === true,
        }),
      );
    } else {
      ctx.out.info(
        `${options.keep ? 'Copied' : 'Moved'} ${moved.length} record${moved.length === 1 ? '' : 's'} from ${source.description} to ${destination.description}.`,
      );
      if (ctx.settings.store !== to)
        ctx.out.info(`Use it with --store ${to} (or MCP_OAUTH_STORE=${to}).`);
    }
    return 0;
  } finally {
    await source.close?.();
    await destination.close?.();
  }
}

/** Copies one record under the source's lock (a refresh elsewhere waits), verifies it, then deletes the source. */
async function moveOne(
  source: TokenStore,
  destination: TokenStore,
  key: string,
  keep: boolean,
): Promise<boolean> {
  const lock = await source.lock(key, { ttlMs: 30_000, timeoutMs: 60_000 });
  try {
    const record = await source.get(key);
    if (record === undefined) return false;
    await destination.set(key, record);
    const back = await destination.get(key);
    if (JSON.stringify(back) !== JSON.stringify(record)) {
      throw new CliError(
        'migrate_verify_failed',
        `The record "${key}" did not read back identically from the destination; the source was left untouched.`,
        EXIT.store,
      );
    }
    if (!keep) await source.delete(key);
    return true;
  } finally {
    await lock.release();
  }
}
