export { type DefaultStore, type DefaultStoreChoice, defaultStore } from './default-store.ts';
export type { DefaultStoreOptions } from './options.ts';
