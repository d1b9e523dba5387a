import type { FileStoreOptions } from './options.ts';

/**
 * The options of `fileStore` an error may name as the way out (`details.option`, in backticks in
 * its last sentence), so that another interface (the CLI) can tell its own users how to set it
 * there.
 *
 * @example
 * ```ts
 * import type { FileStoreOptionNamedByErrors } from '@mcp-oauth/store-file';
 *
 * // the CLI's flag for each option an error may name
 * const flags: Record<FileStoreOptionNamedByErrors, string> = {
 *   directory: '--dir',
 *   namespace: '--namespace',
 *   keySource: 'MCP_OAUTH_PASSPHRASE',
 * };
 * ```
 */
export type FileStoreOptionNamedByErrors = ('directory' | 'namespace' | 'keySource') &
  keyof FileStoreOptions;
