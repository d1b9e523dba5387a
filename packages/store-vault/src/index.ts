export type { VaultAuth, VaultStoreOptions } from './options.ts';
export { vaultStore } from './store.ts';
