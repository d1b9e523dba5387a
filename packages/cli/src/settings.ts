import { resolve } from 'node:path';
import { usageError } from './exit-codes.ts';

/**
 * The store backends the CLI knows. `auto`: the keychain when usable, else the file store
 * (never redis: that is shared with other processes, so only on request).
 */
export const STORE_KINDS = ['auto', 'keychain', 'file', 'memory', 'redis'] as const;

/**
 * `option` with the values it takes listed (help, shell completion), checked by the CLI's own
 * parsing (parseStoreKind: its message and exit code), not commander's `choices`.
 */
export function valuesFor<O extends { argChoices?: string[] | undefined }>(
  option: O,
  values: readonly string[],
): O {
  option.argChoices = [...values];
  return option;
}
export type StoreKind = (typeof STORE_KINDS)[number];
export type ConcreteStoreKind = Exclude<StoreKind, 'auto'>;

/** The package `--store redis` loads when it is used: not installed with the CLI (see README). */
export const REDIS_STORE_PACKAGE = '@mcp-oauth/store-redis';

/** Options every command takes (flags win over environment variables). */
export interface GlobalFlags {
  store?: string;
  dir?: string;
  namespace?: string;
  quiet?: boolean;
  verbose?: boolean;
  httpTimeout?: string;
}

export interface Settings {
  store: StoreKind;
  /** File store folder (MCP_OAUTH_DIR), undefined for the platform default. */
  dir: string | undefined;
  namespace: string;
  /** MCP_OAUTH_PASSPHRASE: the file store key is derived from it instead of a key file. */
  passphrase: string | undefined;
  /** MCP_OAUTH_REDIS_URL: the Redis of `--store redis` (environment only: it may hold a password). */
  redisUrl: string | undefined;
  /** MCP_OAUTH_REDIS_KEY: the base64 of the 32-byte key of `--store redis`. */
  redisKey: string | undefined;
  quiet: boolean;
  verbose: boolean;
  /** --http-timeout: the limit of each HTTP phase, in ms; undefined for the transport's defaults. */
  httpTimeoutMs: number | undefined;
  /**
   * The global flags that reach this store (`--store file --dir <dir> --namespace <ns>`, from
   * flags or the environment; none for the defaults): every command a message tells the user to
   * run carries them, so that it reaches the same tokens from another terminal, and so does the
   * host configuration `proxy --print-config` prints.
   */
  storeArgs: readonly string[];
  /** `storeArgs` as a shell reads them, for messages. */
  storeFlags: string;
  env: NodeJS.ProcessEnv;
}

export const ENVIRONMENT_HELP = `Environment:
  MCP_OAUTH_STORE       store backend: auto (default), keychain, file, memory, redis
  MCP_OAUTH_DIR         file store folder (default: ~/.local/share/mcp-oauth,
                        ~/Library/Application Support/mcp-oauth, %APPDATA%\\mcp-oauth)
  MCP_OAUTH_NAMESPACE   store namespace (default: default)
  MCP_OAUTH_PASSPHRASE  derive the file store key from this passphrase
                        instead of the key file <dir>/store.key
  MCP_OAUTH_REDIS_URL   --store redis: redis://[user:password@]host:port[/db]
  MCP_OAUTH_REDIS_KEY   --store redis: base64 of the 32-byte encryption key shared
                        with the other processes (needs @mcp-oauth/store-redis)
  MCP_OAUTH_INITIAL_ACCESS_TOKEN
                        initial access token for dynamic client registration,
                        where the authorization server requires one (RFC 7591)
  BROWSER               browser command for login ("none" never opens one)
  NO_COLOR              no colors
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY   proxy settings`;

/** Stores for fleets of services, which the CLI leaves to the library (see the README). */
const SERVICE_STORES: Readonly<Record<string, string>> = {
  vault: '@mcp-oauth/store-vault',
};

export function parseStoreKind(value: string, from: string): StoreKind {
  if ((STORE_KINDS as readonly string[]).includes(value)) return value as StoreKind;
  const library = SERVICE_STORES[value];
  const hint = library
    ? ` The ${value} store is for services sharing tokens: use ${library} with @mcp-oauth/core in the service.`
    : '';
  throw usageError(`${from} must be one of ${STORE_KINDS.join(', ')} (got "${value}").${hint}`);
}

export function resolveSettings(
  flags: GlobalFlags,
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const store = flags.store
    ? parseStoreKind(flags.store, '--store')
    : env.MCP_OAUTH_STORE
      ? parseStoreKind(env.MCP_OAUTH_STORE, 'MCP_OAUTH_STORE')
      : 'auto';
  const namespace = flags.namespace ?? (env.MCP_OAUTH_NAMESPACE || 'default');
  const dir = flags.dir ?? (env.MCP_OAUTH_DIR || undefined);
  const storeArgs = [
    ...(store === 'auto' ? [] : ['--store', store]),
    ...(dir === undefined ? [] : ['--dir', resolve(dir)]),
    ...(namespace === 'default' ? [] : ['--namespace', namespace]),
  ];
  return {
    store,
    dir,
    namespace,
    passphrase: env.MCP_OAUTH_PASSPHRASE || undefined,
    redisUrl: env.MCP_OAUTH_REDIS_URL || undefined,
    redisKey: env.MCP_OAUTH_REDIS_KEY?.trim() || undefined,
    quiet: flags.quiet === true,
    verbose: flags.verbose === true,
    httpTimeoutMs:
      flags.httpTimeout === undefined
        ? undefined
        : seconds(flags.httpTimeout, '--http-timeout') * 1000,
    storeArgs,
    storeFlags: storeArgs.map((word) => shellWord(word)).join(' '),
    env,
  };
}

/**
 * A word as the user's shell reads it back: quoted when it holds anything but plain characters
 * (POSIX shells: single quotes; Windows: double quotes, which its paths never contain).
 */
export function shellWord(word: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return /^[\w@%+=:,./\\-]+$/.test(word) ? word : `"${word}"`;
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** Seconds above 0 (fractions allowed: 0.5 is half a second), at most a day. */
function seconds(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400)
    throw usageError(
      `${flag} must be a number of seconds above 0 and at most 86400 (got "${value}").`,
    );
  return n;
}
