import { McpOAuthError, type StoreRecord } from '@mcp-oauth/core/store';
import type { RedisClientLike, RedisStoreOptions } from './options.ts';
import { refreshTokenExpiry } from './record-expiry.ts';

/** Namespaces and prefixes go inside Redis keys and the hash tag: no braces, no spaces. */
const NAMESPACE = /^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]{0,127}$/;
const PREFIX = /^[A-Za-z0-9_@+-][A-Za-z0-9._:@+-]{0,63}$/;

export type Connection =
  | { kind: 'url'; url: string }
  | { kind: 'cluster' }
  | { kind: 'sentinel' }
  | { kind: 'client'; client: RedisClientLike };

export interface ResolvedOptions {
  masterKey: Buffer;
  connection: Connection;
  namespace: string;
  keyPrefix: string;
  commandTimeoutMs: number;
  recordExpiry: (key: string, record: StoreRecord) => number | undefined;
  raw: RedisStoreOptions;
}

function invalid(option: string, message: string): McpOAuthError {
  return new McpOAuthError('invalid_configuration', `redisStore ${option}: ${message}`, {
    details: { option },
  });
}

function masterKeyOf(value: unknown): Buffer {
  const hint =
    'pass 32 random bytes (or their base64), e.g. from `openssl rand -base64 32`, the same in every process sharing the store.';
  if (value instanceof Uint8Array) {
    if (value.length !== 32) throw invalid('encryptionKey', `must be exactly 32 bytes; ${hint}`);
    return Buffer.from(value);
  }
  if (typeof value === 'string') {
    const key = Buffer.from(value.trim(), 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(value.trim())) {
      throw invalid('encryptionKey', `the text is not the base64 of 32 bytes; ${hint}`);
    }
    return key;
  }
  throw invalid('encryptionKey', `is required; ${hint}`);
}

function connectionOf(options: RedisStoreOptions): Connection {
  const given = (['client', 'cluster', 'sentinel', 'url'] as const).filter(
    (name) => options[name] !== undefined,
  );
  if (given.length > 1) {
    throw invalid(given.join('/'), `give only one of url, client, cluster and sentinel.`);
  }
  if (options.client !== undefined) {
    const c = options.client as Partial<RedisClientLike> | null;
    if (typeof c?.get !== 'function' || typeof c.eval !== 'function') {
      throw invalid(
        'client',
        'must be a node-redis client (createClient, createCluster or createSentinel).',
      );
    }
    return { kind: 'client', client: options.client };
  }
  if (options.cluster !== undefined) return { kind: 'cluster' };
  if (options.sentinel !== undefined) return { kind: 'sentinel' };
  const url = options.url ?? options.clientOptions?.url ?? 'redis://127.0.0.1:6379';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(
      'url',
      'is not a URL; use redis://host:port, rediss://host:port or unix:///path.',
    );
  }
  if (!['redis:', 'rediss:', 'unix:'].includes(parsed.protocol)) {
    throw invalid('url', `the scheme must be redis:, rediss: or unix:, not ${parsed.protocol}`);
  }
  return { kind: 'url', url };
}

export function resolveOptions(options: RedisStoreOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new McpOAuthError('invalid_configuration', 'redisStore options must be an object.');
  }
  const { namespace = 'default', keyPrefix = 'mcp-oauth', commandTimeoutMs = 5_000 } = options;
  if (typeof namespace !== 'string' || !NAMESPACE.test(namespace)) {
    throw invalid(
      'namespace',
      'must be 1 to 128 characters of letters, digits and . _ @ + -, not starting with a dot.',
    );
  }
  if (typeof keyPrefix !== 'string' || !PREFIX.test(keyPrefix)) {
    throw invalid('keyPrefix', 'must be 1 to 64 characters of letters, digits and . _ : @ + -.');
  }
  if (!(Number.isFinite(commandTimeoutMs) && commandTimeoutMs > 0)) {
    throw invalid('commandTimeoutMs', 'must be a positive number of milliseconds.');
  }
  if (options.recordExpiry !== undefined && typeof options.recordExpiry !== 'function') {
    throw invalid('recordExpiry', 'must be a function (key, record) => epoch ms | undefined.');
  }
  return {
    masterKey: masterKeyOf(options.encryptionKey),
    connection: connectionOf(options),
    namespace,
    keyPrefix,
    commandTimeoutMs,
    recordExpiry: options.recordExpiry ?? refreshTokenExpiry,
    raw: options,
  };
}
