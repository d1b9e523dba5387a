import type { Stats } from 'node:fs';
import { storeError } from './errors.ts';
import type { FileStoreWarning } from './options.ts';

const { chmodSync } = process.getBuiltinModule('node:fs'); // not imported: see packages/internal/README.md

export interface PermissionPolicy {
  readonly mode: 'fix' | 'error';
  warn(warning: FileStoreWarning): void;
}

const IS_WINDOWS = process.platform === 'win32';
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/**
 * Checks ownership and mode of something the store opened (a folder via lstat, a file via
 * fstat on its open descriptor, which `chmodOpen` then fixes). Owned by another user: always
 * an error. Readable or
 * writable by group/others: fixed with a warning, or an error, as the policy says.
 * POSIX only: Windows has ACLs and the per-user profile folder instead.
 */
export async function enforcePrivate(
  path: string,
  stats: Stats,
  policy: PermissionPolicy,
  chmodOpen?: (mode: number) => void,
): Promise<void> {
  if (IS_WINDOWS) return;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw storeError(
      'store_insecure_permissions',
      `${path} belongs to another user (uid ${stats.uid}); the file store only uses files of the current user.`,
      { path, uid: stats.uid },
    );
  }
  const loose = stats.mode & 0o077;
  if (loose === 0) return;
  const wanted = stats.isDirectory() ? DIR_MODE : FILE_MODE;
  const found = (stats.mode & 0o777).toString(8).padStart(3, '0');
  if (policy.mode === 'error') {
    throw storeError(
      'store_insecure_permissions',
      `${path} has permissions ${found}, readable or writable by others. Run chmod ${wanted.toString(8)} on it (or use insecurePermissions: 'fix').`,
      { path, mode: found },
    );
  }
  if (chmodOpen) chmodOpen(wanted);
  else chmodSync(path, wanted);
  policy.warn({
    code: 'permissions_fixed',
    path,
    message: `${path} had permissions ${found}; changed to ${wanted.toString(8).padStart(3, '0')}. Tokens stored there may have been readable by others.`,
  });
}
