import type { StoreRecord } from '@mcp-oauth/core/store';
import type { RedisClientOptions, RedisClusterOptions, RedisSentinelOptions } from '@redis/client';

/**
 * The few commands the store sends, as node-redis clients of every kind expose them:
 * `createClient`, `createCluster` and `createSentinel` (from `redis` or `@redis/client`,
 * version 5 or later) all fit. Everything but `GET` runs as a Lua script, so a cluster
 * routes each call by its first key.
 *
 * @example
 * ```ts
 * import { createClient } from '@redis/client';
 * import { redisStore } from '@mcp-oauth/store-redis';
 *
 * const client = createClient({ url: 'redis://redis.internal:6379' });
 * const store = redisStore({ client, encryptionKey: process.env.MCP_OAUTH_STORE_KEY ?? '' });
 * ```
 */
export interface RedisClientLike {
  /** `GET key`: the stored string, or null. */
  get(key: string): Promise<unknown>;
  /** `EVAL script`: runs a Lua script with its keys and arguments. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** `EVALSHA sha1`: runs a script already loaded, by its SHA-1. */
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** Whether the client is connected; when false, the store calls `connect()` first. */
  readonly isOpen?: boolean;
  /** Opens the connection; called once by the store when `isOpen` is false. */
  connect?(): Promise<unknown>;
}

/**
 * Options of `redisStore`. Only `encryptionKey` is required.
 *
 * @example
 * ```ts
 * import { type RedisStoreOptions, redisStore } from '@mcp-oauth/store-redis';
 *
 * const options: RedisStoreOptions = {
 *   url: 'rediss://:password@redis.internal:6380/0',
 *   encryptionKey: process.env.MCP_OAUTH_STORE_KEY ?? '', // base64 of 32 random bytes
 *   namespace: 'tenant-42',
 *   commandTimeoutMs: 2_000,
 * };
 * const store = redisStore(options);
 * ```
 */
export interface RedisStoreOptions {
  /**
   * The 256-bit key records are encrypted with (AES-256-GCM): 32 bytes, or their base64
   * text. Required. Keep it outside Redis (a secret manager, a KMS-unwrapped key); every
   * process sharing the store needs the same key.
   */
  encryptionKey: Uint8Array | string;
  /**
   * Where Redis is, e.g. `redis://:password@redis.internal:6379/0` or `rediss://…` for
   * TLS. Default `redis://127.0.0.1:6379`. Ignored when `client`, `cluster` or
   * `sentinel` is given.
   */
  url?: string;
  /** More options for the standalone client the store creates (TLS, ACL user, socket). */
  clientOptions?: RedisClientOptions;
  /** Connect to a Redis Cluster through node-redis' `createCluster(cluster)`. */
  cluster?: RedisClusterOptions;
  /** Connect through Redis Sentinel with node-redis' `createSentinel(sentinel)`. */
  sentinel?: RedisSentinelOptions;
  /**
   * A node-redis client the application already has (standalone, cluster or sentinel).
   * The store opens it if it is not open yet, and never closes it.
   */
  client?: RedisClientLike;
  /** Tenant namespace: namespaces never see each other's records or locks. Default `default`. */
  namespace?: string;
  /** First part of every Redis key the store writes. Default `mcp-oauth`. */
  keyPrefix?: string;
  /**
   * Longest wait for one Redis call (or the first connection) before `store_unavailable`, in
   * ms. Default 5000.
   */
  commandTimeoutMs?: number;
  /**
   * When a record may expire in Redis, as epoch milliseconds, or `undefined` for never.
   * Default: a `tokens` record's `refreshTokenExpiresAt`, when it carries one; nothing
   * else expires. Never sooner than one minute after the write.
   */
  recordExpiry?: (key: string, record: StoreRecord) => number | undefined;
}
