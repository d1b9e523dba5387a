/** Where the 256-bit store key comes from. */
export type FileStoreKeySource =
  /**
   * A random key in a 0600 file, created atomically on first use and read once per
   * process. Default path: `<directory>/store.key`.
   */
  | { kind: 'keyfile'; path?: string }
  /** A passphrase stretched once per process with scrypt (N=2^17, r=8, p=1); the salt is kept in the folder. */
  | { kind: 'passphrase'; passphrase: string }
  /** A key the caller keeps elsewhere (for example in the OS keychain): exactly 32 bytes. */
  | { kind: 'key'; key: Uint8Array };

/** Something the store noticed and handled; never contains a secret. */
export interface FileStoreWarning {
  code: 'permissions_fixed' | 'record_unreadable' | 'stale_lock_recovered';
  message: string;
  path: string;
}

export interface FileStoreOptions {
  /**
   * The store folder. Default: `$XDG_DATA_HOME/mcp-oauth` or `~/.local/share/mcp-oauth`
   * (Linux and other Unix), `~/Library/Application Support/mcp-oauth` (macOS),
   * `%APPDATA%\mcp-oauth` (Windows).
   */
  directory?: string;
  /** Tenant namespace: a subfolder; namespaces never see each other's records. Default `default`. */
  namespace?: string;
  /** Default `{ kind: 'keyfile' }`. */
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
