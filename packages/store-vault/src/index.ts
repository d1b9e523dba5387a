export type { VaultAuth, VaultRetryOptions, VaultStoreOptions } from './options.ts';
export { type VaultStore, vaultStore } from './store.ts';
