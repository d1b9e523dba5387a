export { type FileStore, fileStore } from './file-store.ts';
export type { FileStoreKeySource, FileStoreOptions, FileStoreWarning } from './options.ts';
export type { FileStoreOptionNamedByErrors } from './options-named-by-errors.ts';
