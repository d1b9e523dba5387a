/**
 * Where the 256-bit store key comes from.
 *
 * @example
 * ```ts
 * import { fileStore } from '@mcp-oauth/store-file';
 *
 * const passphrase = process.env.MCP_OAUTH_PASSPHRASE;
 * const store = fileStore({
 *   keySource: passphrase ? { kind: 'passphrase', passphrase } : { kind: 'keyfile' },
 * });
 * ```
 */
export type FileStoreKeySource =
  /**
   * A random key in a 0600 file, created atomically on first use and read once per
   * process. Default path: `<directory>/store.key`.
   */
  | {
      /** A random key kept in a key file. */
      kind: 'keyfile';
      /** The key file. Default `<directory>/store.key`. */
      path?: string;
    }
  /** A passphrase stretched once per process with scrypt (N=2^17, r=8, p=1); the salt is kept in the folder. */
  | {
      /** A key derived from a passphrase. */
      kind: 'passphrase';
      /** The passphrase; it never leaves the process. */
      passphrase: string;
    }
  /** A key the caller keeps elsewhere (for example in the OS keychain): exactly 32 bytes. */
  | {
      /** A key given by the caller. */
      kind: 'key';
      /** The key: exactly 32 bytes. */
      key: Uint8Array;
    };

/**
 * Something the store noticed and handled; never contains a secret. Passed to `onWarning`.
 *
 * @example
 * ```ts
 * import { type FileStoreWarning, fileStore } from '@mcp-oauth/store-file';
 *
 * const store = fileStore({
 *   onWarning: (warning: FileStoreWarning) =>
 *     console.error(`[${warning.code}] ${warning.message} (${warning.path})`),
 * });
 * ```
 */
export interface FileStoreWarning {
  /**
   * `permissions_fixed`: a file or folder open to group or others was chmodded;
   * `record_unreadable`: `list()` skipped a record file it could not read, left in place;
   * `stale_lock_recovered`: a lock left by a dead process was taken over.
   */
  code: 'permissions_fixed' | 'record_unreadable' | 'stale_lock_recovered';
  /** What happened, in a sentence. */
  message: string;
  /** The file or folder concerned. */
  path: string;
}

/**
 * Options of `fileStore`. Every one is optional.
 *
 * @example
 * ```ts
 * import { type FileStoreOptions, fileStore } from '@mcp-oauth/store-file';
 *
 * const options: FileStoreOptions = {
 *   directory: '/var/lib/my-app/mcp-oauth',
 *   namespace: 'alice',
 *   insecurePermissions: 'error',
 * };
 * const store = fileStore(options);
 * ```
 */
export interface FileStoreOptions {
  /**
   * The store folder. Default: `$XDG_DATA_HOME/mcp-oauth` or `~/.local/share/mcp-oauth`
   * (Linux and other Unix), `~/Library/Application Support/mcp-oauth` (macOS),
   * `%APPDATA%\mcp-oauth` (Windows).
   */
  directory?: string;
  /** Tenant namespace: a subfolder; namespaces never see each other's records. Default `default`. */
  namespace?: string;
  /** Where the encryption key comes from. Default `{ kind: 'keyfile' }`. */
  keySource?: FileStoreKeySource;
  /**
   * What to do with store files or folders readable or writable by group or others:
   * `'fix'` (default) chmods them to 0600/0700 and reports a `permissions_fixed`
   * warning; `'error'` throws `store_insecure_permissions`.
   */
  insecurePermissions?: 'fix' | 'error';
  /** Receives warnings. Default: `process.emitWarning`. */
  onWarning?: (warning: FileStoreWarning) => void;
}
