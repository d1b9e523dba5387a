export { type KeychainStore, keychainStore } from './keychain-store.ts';
export type { KeychainStoreOptions } from './options.ts';
export type { KeychainProbeResult } from './probe.ts';
export type { KeychainUnavailableReason } from './unavailable.ts';
