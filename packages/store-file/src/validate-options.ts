import { resolve } from 'node:path';
import { McpOAuthError } from '@mcp-oauth/core/store';
import { defaultDirectory } from './default-directory.ts';
import type { FileStoreKeySource, FileStoreOptions, FileStoreWarning } from './options.ts';
import type { FileStoreOptionNamedByErrors } from './options-named-by-errors.ts';

/** A namespace is a folder name: no separators, no leading dot, at most 128 characters. */
const NAMESPACE = /^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]{0,127}$/;

export interface ResolvedOptions {
  root: string;
  namespace: string;
  keySource: FileStoreKeySource;
  insecurePermissions: 'fix' | 'error';
  onWarning: (warning: FileStoreWarning) => void;
}

function invalid(message: string, option?: FileStoreOptionNamedByErrors): McpOAuthError {
  return new McpOAuthError('invalid_configuration', message, option ? { details: { option } } : {});
}

function checkKeySource(source: unknown): FileStoreKeySource {
  const s = source as FileStoreKeySource | undefined;
  switch (s?.kind) {
    case 'keyfile':
      if (s.path !== undefined && (typeof s.path !== 'string' || s.path === '')) {
        throw invalid('fileStore keySource.path must be a non-empty string.');
      }
      return s;
    case 'passphrase':
      if (typeof s.passphrase !== 'string' || s.passphrase.length === 0) {
        throw invalid('fileStore keySource.passphrase must be a non-empty string.');
      }
      return s;
    case 'key':
      if (!(s.key instanceof Uint8Array) || s.key.length !== 32) {
        throw invalid(
          'fileStore keySource.key must be a Uint8Array of exactly 32 bytes (a 256-bit key).',
        );
      }
      return { kind: 'key', key: Uint8Array.from(s.key) };
    default:
      throw invalid("fileStore keySource.kind must be 'keyfile', 'passphrase' or 'key'.");
  }
}

function defaultWarn(warning: FileStoreWarning): void {
  process.emitWarning(warning.message, { type: 'McpOAuthFileStoreWarning', code: warning.code });
}

export function resolveOptions(options: FileStoreOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null)
    throw invalid('fileStore options must be an object.');
  const { directory, namespace = 'default', insecurePermissions = 'fix', onWarning } = options;
  if (directory !== undefined && (typeof directory !== 'string' || directory === '')) {
    throw invalid('fileStore directory must be a non-empty path.');
  }
  if (typeof namespace !== 'string' || !NAMESPACE.test(namespace)) {
    throw invalid(
      "fileStore's `namespace` option must be 1 to 128 characters of letters, digits and . _ @ + -, not starting with a dot.",
      'namespace',
    );
  }
  if (insecurePermissions !== 'fix' && insecurePermissions !== 'error') {
    throw invalid("fileStore insecurePermissions must be 'fix' or 'error'.");
  }
  if (onWarning !== undefined && typeof onWarning !== 'function')
    throw invalid('fileStore onWarning must be a function.');
  return {
    root: resolve(directory ?? defaultDirectory()),
    namespace,
    keySource: checkKeySource(options.keySource ?? { kind: 'keyfile' }),
    insecurePermissions,
    onWarning: onWarning ?? defaultWarn,
  };
}
