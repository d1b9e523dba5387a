import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command } from 'commander';
import type { CommandContext } from '../context.ts';
import { versioned } from '../output.ts';
import { runAction } from '../run-action.ts';
import { REDIS_STORE_PACKAGE } from '../settings.ts';
import { defaultFileDirectory } from '../stores/file-directory.ts';

interface Backend {
  kind: 'keychain' | 'file' | 'memory' | 'redis';
  available: boolean;
  persistent: boolean;
  detail: string;
  inUse: boolean;
}

export function storesCommand(): Command {
  return new Command('stores')
    .description('Which token stores are available here, and which one is in use.')
    .option('--json', 'print as JSON on stdout')
    .addHelpText(
      'after',
      `
--store auto (the default) uses the OS keychain when it is usable, else the encrypted
file store. Move tokens between them with: mcp-oauth migrate --from file --to keychain
--store redis (never chosen by auto) shares tokens with services on one Redis: it needs
MCP_OAUTH_REDIS_URL, MCP_OAUTH_REDIS_KEY and the @mcp-oauth/store-redis package.

Examples:
  $ mcp-oauth stores
  $ MCP_OAUTH_STORE=file mcp-oauth stores --json`,
    )
    .action((options: { json?: boolean }, cmd: Command) =>
      runAction(cmd, (ctx) => stores(ctx, options)),
    );
}

async function stores(ctx: CommandContext, options: { json?: boolean }): Promise<number> {
  const { settings } = ctx;
  // The rule of --store auto, from @mcp-oauth/store-default: asked whatever the selection,
  // to show whether the keychain is usable here.
  const { autoChoice } = await import('../stores/open-store.ts');
  const choice = await autoChoice(settings, ctx.out);
  const keychain =
    choice.kind === 'keychain'
      ? { available: true, message: 'the OS credential store is usable' }
      : { available: false, message: choice.message };
  const resolved = settings.store === 'auto' ? choice.kind : settings.store;
  const fileDir = settings.dir ?? defaultFileDirectory(settings.env);
  const backends: Backend[] = [
    {
      kind: 'keychain',
      available: keychain.available,
      persistent: true,
      detail: keychain.message,
      inUse: resolved === 'keychain',
    },
    {
      kind: 'file',
      ...fileBackend(fileDir, settings.passphrase !== undefined),
      inUse: resolved === 'file',
    },
    {
      kind: 'memory',
      available: true,
      persistent: false,
      detail: 'this process only: nothing is kept',
      inUse: resolved === 'memory',
    },
    { ...redisBackend(settings), inUse: resolved === 'redis' },
  ];
  const selection = {
    selected: settings.store,
    inUse: resolved,
    namespace: settings.namespace,
    backends,
  };
  if (options.json) {
    ctx.out.json(versioned(selection));
    return 0;
  }
  for (const b of backends) {
    const mark = b.inUse ? '*' : ' ';
    ctx.out.data(
      `${mark} ${b.kind.padEnd(8)}  ${(b.available ? 'available' : 'unavailable').padEnd(11)}  ${b.detail}`,
    );
  }
  ctx.out.data('');
  const chosen = backends.find((b) => b.kind === resolved);
  // a store asked for by --store (or MCP_OAUTH_STORE) that cannot work here is not "in use"
  ctx.out.data(
    chosen && !chosen.available
      ? `Selected: ${resolved}, unavailable here: commands will fail until it is (see above), or choose another with --store (or MCP_OAUTH_STORE).`
      : `In use: ${resolved}${settings.store === 'auto' ? ' (--store auto)' : ''}, namespace "${settings.namespace}".`,
  );
  return 0;
}

/** `--store redis`: installed and configured? (Redis itself is not contacted.) */
function redisBackend(settings: CommandContext['settings']): Omit<Backend, 'inUse'> {
  let installed = true;
  try {
    import.meta.resolve(REDIS_STORE_PACKAGE);
  } catch {
    installed = false;
  }
  const missing = [
    settings.redisUrl ? '' : 'MCP_OAUTH_REDIS_URL',
    settings.redisKey ? '' : 'MCP_OAUTH_REDIS_KEY',
  ].filter(Boolean);
  const detail = !installed
    ? `${REDIS_STORE_PACKAGE} is not installed (npm install -g ${REDIS_STORE_PACKAGE})`
    : missing.length
      ? `set ${missing.join(' and ')}`
      : `${withoutPassword(settings.redisUrl ?? '')}, encrypted with MCP_OAUTH_REDIS_KEY (not contacted)`;
  return { kind: 'redis', available: installed && !missing.length, persistent: true, detail };
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(MCP_OAUTH_REDIS_URL is not a URL)';
  }
}

/**
 * The file store in `dir`: available when the folder can be written, or, while it does not
 * exist yet, when the nearest folder above it can (the store creates the rest).
 */
function fileBackend(dir: string, passphrase: boolean): Omit<Backend, 'kind' | 'inUse'> {
  const encrypted = `encrypted with ${passphrase ? 'a key derived from MCP_OAUTH_PASSPHRASE' : `the key file ${dir}/store.key`}`;
  let existing = dir;
  while (!exists(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    if (!statSync(existing).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    accessSync(existing, constants.W_OK);
    return { available: true, persistent: true, detail: `${dir}, ${encrypted}` };
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unknown error';
    return {
      available: false,
      persistent: true,
      detail: `${dir} cannot be created or written (${existing}: ${code}): choose a folder with --dir or MCP_OAUTH_DIR`,
    };
  }
}

function exists(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false; // ENOTDIR (a file above it) and the like
  }
}
