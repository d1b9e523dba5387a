import { McpOAuthError, type StoreLock, type TokenStore } from '@mcp-oauth/core';
import { CliError, EXIT } from '../exit-codes.ts';
import { REDIS_STORE_PACKAGE, type Settings } from '../settings.ts';

/** The settings of `--store redis`, from the environment only: the URL may carry a password. */
export function redisSettings(settings: Settings): { url: string; key: string } {
  const url = settings.redisUrl;
  if (!url)
    throw new CliError(
      'store_not_configured',
      '--store redis needs MCP_OAUTH_REDIS_URL: the Redis the tokens are shared in (redis://[user:password@]host:port[/db], rediss:// for TLS).',
      EXIT.usage,
    );
  const key = settings.redisKey;
  const hint =
    'the base64 of the 32-byte key every process sharing this Redis namespace uses (for a new namespace: openssl rand -base64 32)';
  if (!key)
    throw new CliError(
      'store_not_configured',
      `--store redis needs MCP_OAUTH_REDIS_KEY: ${hint}. Records are encrypted with it; it is never stored in Redis.`,
      EXIT.usage,
    );
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length !== 32)
    throw new CliError(
      'store_not_configured',
      `MCP_OAUTH_REDIS_KEY is not the base64 of 32 bytes: it must be ${hint}.`,
      EXIT.usage,
    );
  return { url, key };
}

type RedisStoreModule = typeof import('@mcp-oauth/store-redis');

/** Loads the Redis store's package, or says how to install it. */
export async function loadRedisStore(): Promise<RedisStoreModule> {
  try {
    return await import('@mcp-oauth/store-redis');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    const cli = new CliError(
      'store_package_missing',
      `--store redis needs the ${REDIS_STORE_PACKAGE} package, which is not installed with the CLI: install it beside the CLI (npm install -g @mcp-oauth/cli ${REDIS_STORE_PACKAGE}, or npx -p @mcp-oauth/cli -p ${REDIS_STORE_PACKAGE} mcp-oauth ...).`,
      EXIT.store,
    );
    cli.cause = error;
    throw cli;
  }
}

/** The Redis store's messages name its options; at the command line, the variables that set them. */
const IN_CLI_WORDS: [RegExp, string][] = [
  [/,? or raise the store's commandTimeoutMs option/g, ''],
  [/\bredisStore url\b/g, 'MCP_OAUTH_REDIS_URL'],
  [/\bredisStore encryptionKey\b/g, 'MCP_OAUTH_REDIS_KEY'],
  [/\b(?:[Tt]he store's |[Tt]he |its )?url option\b/g, 'MCP_OAUTH_REDIS_URL'],
  [/\b(?:[Tt]he store's |[Tt]he |its )?encryptionKey option\b/g, 'MCP_OAUTH_REDIS_KEY'],
  [/\b(?:[Tt]he store's |[Tt]he |its )?keyPrefix option\b/g, 'key prefix (mcp-oauth)'],
];

function inCliWords(error: unknown): unknown {
  if (!McpOAuthError.isInstance(error)) return error;
  let message = error.message;
  for (const [pattern, words] of IN_CLI_WORDS) message = message.replace(pattern, words);
  if (message === error.message) return error;
  const { option: _library, ...details } = error.details;
  return new McpOAuthError(error.code, message, { cause: error.cause, details });
}

/** `store`, with errors that name environment variables instead of library options. */
function speakingCli(store: TokenStore): TokenStore {
  const wrap =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        throw inCliWords(error);
      }
    };
  return {
    specificationVersion: store.specificationVersion,
    description: store.description,
    get: wrap((key) => store.get(key)),
    set: wrap((key, record) => store.set(key, record)),
    delete: wrap((key) => store.delete(key)),
    list: wrap((prefix) => store.list(prefix)),
    lock: wrap(async (key, options) => {
      const lock = await store.lock(key, options);
      const wrapped: StoreLock = {
        key: lock.key,
        get expiresAt() {
          return lock.expiresAt;
        },
        release: wrap(() => lock.release()),
      };
      return wrapped;
    }),
    close: wrap(async () => store.close?.()),
  };
}

/** `--store redis`: the Redis store of MCP_OAUTH_REDIS_URL, encrypted with MCP_OAUTH_REDIS_KEY. */
export async function openRedisStore(settings: Settings): Promise<TokenStore> {
  const { url, key } = redisSettings(settings);
  const { redisStore } = await loadRedisStore();
  try {
    return speakingCli(redisStore({ url, encryptionKey: key, namespace: settings.namespace }));
  } catch (error) {
    throw inCliWords(error);
  }
}
