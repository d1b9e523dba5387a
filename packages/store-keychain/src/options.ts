import { join } from 'node:path';
import { McpOAuthError } from '@mcp-oauth/core/store';
import { userCacheDirectory, userRuntimeDirectory } from '@mcp-oauth/internal/node';

/**
 * Options of `keychainStore`. Every one is optional.
 *
 * @example
 * ```ts
 * import { type KeychainStoreOptions, keychainStore } from '@mcp-oauth/store-keychain';
 *
 * const options: KeychainStoreOptions = { service: 'my-app', namespace: 'alice' };
 * const store = keychainStore(options);
 * ```
 */
export interface KeychainStoreOptions {
  /**
   * The service name the entries are filed under (`secret-tool search service mcp-oauth`,
   * Keychain Access, Credential Manager). Default `mcp-oauth`.
   */
  service?: string;
  /** Tenants of one keychain never see each other's keys. Default `default`. */
  namespace?: string;
  /**
   * Folder for the lock files (the keychain itself has no atomic operations). Default
   * `$XDG_RUNTIME_DIR/mcp-oauth/keychain-locks`, else the user's cache folder.
   */
  lockDir?: string;
  /** Upper bound for `probe()`, in ms. Default 3000. */
  probeTimeoutMs?: number;
}

export interface ResolvedOptions {
  readonly service: string;
  readonly namespace: string;
  readonly lockDir: string;
  readonly probeTimeoutMs: number;
}

export const DEFAULT_SERVICE = 'mcp-oauth';
export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_PROBE_TIMEOUT_MS = 3_000;

/** The per-user folder for lock files: runtime dir first (tmpfs, private), else the cache. */
export function defaultLockDir(env: NodeJS.ProcessEnv = process.env): string {
  const app = join('mcp-oauth', 'keychain-locks');
  return userRuntimeDirectory(app, { env }) ?? userCacheDirectory(app, { env });
}

export function resolveOptions(options: KeychainStoreOptions): ResolvedOptions {
  const service = options.service ?? DEFAULT_SERVICE;
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const probeTimeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  if (typeof service !== 'string' || service.length === 0 || service.length > 200) {
    throw new McpOAuthError(
      'invalid_configuration',
      'keychainStore: `service` must be a non-empty string of at most 200 characters.',
    );
  }
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > 200) {
    throw new McpOAuthError(
      'invalid_configuration',
      'keychainStore: `namespace` must be a non-empty string of at most 200 characters.',
    );
  }
  if (!Number.isFinite(probeTimeoutMs) || probeTimeoutMs <= 0) {
    throw new McpOAuthError(
      'invalid_configuration',
      'keychainStore: `probeTimeoutMs` must be a positive number of milliseconds.',
    );
  }
  return { service, namespace, lockDir: options.lockDir ?? defaultLockDir(), probeTimeoutMs };
}
