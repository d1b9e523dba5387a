export type { VaultAuth, VaultStoreOptions } from './options.ts';
export { type VaultStore, vaultStore } from './store.ts';
