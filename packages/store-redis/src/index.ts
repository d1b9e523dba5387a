export type { RedisStoreLock } from './lock.ts';
export type { RedisClientLike, RedisStoreOptions } from './options.ts';
export { type RedisStore, redisStore } from './redis-store.ts';
