import { McpOAuthError, type McpOAuthErrorCode } from '@mcp-oauth/core/store';
import type { FileStoreOptionNamedByErrors } from './options-named-by-errors.ts';

type Details = Record<string, string | number | boolean | undefined>;

/** The errno code of a Node fs error (`ENOENT`, `ENOSPC`, ...), if any. */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function storeError(
  code: McpOAuthErrorCode,
  message: string,
  details: Details,
  cause?: unknown,
): McpOAuthError {
  return new McpOAuthError(code, message, { details, cause });
}

/** Wraps a failed write: the previous record (if any) is untouched. */
export function writeFailed(
  what: string,
  path: string,
  cause: unknown,
  details: Details = {},
): McpOAuthError {
  if (McpOAuthError.isInstance(cause)) return cause;
  const errno = errnoOf(cause);
  const hint =
    errno === 'ENOSPC' || errno === 'EDQUOT'
      ? 'The disk is full: free some space and retry.'
      : errno === 'EROFS' || errno === 'EACCES' || errno === 'EPERM'
        ? 'The store folder is not writable: check its permissions and mount.'
        : 'Check the store folder and retry.';
  return storeError(
    'store_write_failed',
    `Could not write ${what} in the file store (${errno ?? 'unknown error'}); the previous contents are kept. ${hint}`,
    { ...details, path, errno },
    cause,
  );
}

/** Wraps a failed read. */
export function readFailed(
  what: string,
  path: string,
  cause: unknown,
  details: Details = {},
): McpOAuthError {
  if (McpOAuthError.isInstance(cause)) return cause;
  const errno = errnoOf(cause);
  if (errno === 'ELOOP') return symlinkRefused(path, cause);
  const code =
    errno === 'EACCES' || errno === 'EPERM' ? 'store_permission_denied' : 'store_read_failed';
  return storeError(
    code,
    `Could not read ${what} in the file store (${errno ?? 'unknown error'}).`,
    { ...details, path, errno },
    cause,
  );
}

/** The store's folder (or one above it) could not be created. */
export function folderNotCreated(path: string, cause: unknown): McpOAuthError {
  const errno = errnoOf(cause);
  const option: FileStoreOptionNamedByErrors = 'directory';
  return storeError(
    'store_unavailable',
    `Could not create the file store's folder ${path} (${errno ?? 'unknown error'}): the folders above it must be folders this user can write. Keep the store in another folder with the \`directory\` option.`,
    { path, errno, option },
    cause,
  );
}

export function symlinkRefused(path: string, cause?: unknown): McpOAuthError {
  return storeError(
    'store_insecure_permissions',
    `Refusing to follow a symbolic link inside the file store: ${path}. Remove it; the store only uses regular files and folders it created.`,
    { path },
    cause,
  );
}
