// A light entry point for store packages: the store port, errors and key helpers,
// without the protocol code (oauth4webapi, jose). Importing it costs next to nothing.
export type { McpOAuthErrorCode } from './errors/codes.ts';
export { McpOAuthError, type McpOAuthErrorOptions } from './errors/error.ts';
export { observeLock, type StoreLockMessage } from './observe/observe-lock.ts';
export { storeKeys } from './store/keys.ts';
export { resolveLockOptions } from './store/lock-options.ts';
export {
  createMemoryBacking,
  type MemoryBacking,
  type MemoryStoreOptions,
  memoryStore,
} from './store/memory.ts';
export { type PruneOptions, type PruneResult, pruneStore } from './store/prune.ts';
export type {
  AliasRecord,
  ClientRecord,
  ClientSource,
  DiscoveryRecord,
  TokensRecord,
} from './store/records.ts';
export type { JsonValue, LockOptions, StoreLock, StoreRecord, TokenStore } from './store/types.ts';
export { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_LOCK_TTL_MS, MAX_KEY_LENGTH } from './store/types.ts';
export { assertValidKey } from './store/validate-key.ts';
