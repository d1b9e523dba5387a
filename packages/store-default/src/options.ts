import type { FileStoreOptions } from '@mcp-oauth/store-file';
import type { KeychainStoreOptions } from '@mcp-oauth/store-keychain';

/**
 * Options of {@link defaultStore}. Every one is optional.
 *
 * @example
 * ```ts
 * import { type DefaultStoreOptions, defaultStore } from '@mcp-oauth/store-default';
 *
 * const options: DefaultStoreOptions = {
 *   namespace: 'my-app',
 *   keychain: { probeTimeoutMs: 1_000 },
 *   file: { directory: '/var/lib/my-app/tokens' },
 * };
 * const store = await defaultStore(options);
 * ```
 */
export interface DefaultStoreOptions {
  /**
   * Tenant namespace, given to whichever store is chosen; namespaces never see each other's
   * records. Default `default`.
   */
  namespace?: string;
  /** Options for the OS keychain store, when it is chosen (see `@mcp-oauth/store-keychain`). */
  keychain?: Omit<KeychainStoreOptions, 'namespace'>;
  /** Options for the encrypted file store, when it is chosen (see `@mcp-oauth/store-file`). */
  file?: Omit<FileStoreOptions, 'namespace'>;
  /**
   * The environment read to find a session bus on Linux (`DBUS_SESSION_BUS_ADDRESS`,
   * `XDG_RUNTIME_DIR`). Default `process.env`.
   */
  env?: Readonly<Record<string, string | undefined>>;
}
