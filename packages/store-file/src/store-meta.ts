import { join } from 'node:path';
import type { McpOAuthError } from '@mcp-oauth/core/store';
import { deriveKeys, open, type StoreKeys, seal } from './crypto.ts';
import { storeError, writeFailed } from './errors.ts';
import { readPrivateFile } from './fs-safe.ts';
import {
  derivePassphraseKey,
  loadKeyFile,
  newScryptParams,
  type ScryptParams,
} from './key-source.ts';
import type { FileStoreKeySource } from './options.ts';
import type { FileStoreOptionNamedByErrors } from './options-named-by-errors.ts';
import type { PermissionPolicy } from './permissions.ts';

/**
 * `store.json` in the store folder: the format of the folder, the passphrase's scrypt
 * parameters and salt (if any), and a key check: a constant sealed with the store key,
 * so a wrong passphrase or replaced key file is told apart from a corrupt record.
 */
interface StoreMeta {
  format: 1;
  kdf: ScryptParams | null;
  check: string;
}

const META_FILE = 'store.json';
const CHECK_PLAINTEXT = Buffer.from('mcp-oauth key check', 'utf8');
const CHECK_AAD = Buffer.from('mcp-oauth/store-file\u0000check\u00001', 'utf8');

async function readMeta(root: string, policy: PermissionPolicy): Promise<StoreMeta | undefined> {
  const path = join(root, META_FILE);
  const bytes = await readPrivateFile(path, policy, 'the store metadata');
  if (!bytes) return undefined;
  try {
    const meta = JSON.parse(bytes.toString('utf8')) as StoreMeta;
    if (
      meta.format === 1 &&
      typeof meta.check === 'string' &&
      (meta.kdf === null || typeof meta.kdf === 'object')
    ) {
      return meta;
    }
  } catch {}
  throw storeError(
    'store_corrupt',
    `The store metadata ${path} is unreadable; restore it from a backup.`,
    { path },
  );
}

function wrongKey(root: string, detail: string): McpOAuthError {
  const option: FileStoreOptionNamedByErrors = 'keySource';
  return storeError(
    'store_wrong_key',
    `The key does not open the file store in ${root}: ${detail} Open it with the \`keySource\` it was created with (the same passphrase, key file or key), or keep new tokens in another folder.`,
    { path: join(root, META_FILE), option },
  );
}

async function masterKey(
  root: string,
  source: FileStoreKeySource,
  meta: StoreMeta | undefined,
  policy: PermissionPolicy,
) {
  switch (source.kind) {
    case 'key':
      return Buffer.from(source.key);
    case 'keyfile':
      return loadKeyFile(source.path ?? join(root, 'store.key'), policy);
    case 'passphrase':
      return derivePassphraseKey(
        source.passphrase,
        meta?.kdf ?? newScryptParams(),
        join(root, META_FILE),
      );
  }
}

/** Loads (or on first use creates) the store key and checks it against `store.json`. */
export async function openStoreKeys(
  root: string,
  source: FileStoreKeySource,
  policy: PermissionPolicy,
): Promise<StoreKeys> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const meta = await readMeta(root, policy);
    if (meta) {
      if (source.kind === 'passphrase' && !meta.kdf) {
        throw wrongKey(root, 'it was created with a key file or a supplied key, not a passphrase.');
      }
      if (source.kind !== 'passphrase' && meta.kdf) {
        throw wrongKey(root, 'it was created with a passphrase.');
      }
      const keys = deriveKeys(await masterKey(root, source, meta, policy));
      if (!open(keys.enc, Buffer.from(meta.check, 'base64'), CHECK_AAD)) {
        throw wrongKey(
          root,
          source.kind === 'passphrase'
            ? 'wrong passphrase.'
            : 'the key differs from the one that created it.',
        );
      }
      return keys;
    }
    const kdf = source.kind === 'passphrase' ? newScryptParams() : null;
    const master =
      source.kind === 'passphrase' && kdf
        ? await derivePassphraseKey(source.passphrase, kdf, join(root, META_FILE))
        : await masterKey(root, source, undefined, policy);
    const keys = deriveKeys(master);
    const created: StoreMeta = {
      format: 1,
      kdf,
      check: seal(keys.enc, CHECK_PLAINTEXT, CHECK_AAD).toString('base64'),
    };
    try {
      const { createExclusive } = await import('./writes.ts');
      if (
        await createExclusive(root, META_FILE, Buffer.from(`${JSON.stringify(created, null, 2)}\n`))
      )
        return keys;
    } catch (error) {
      throw writeFailed('the store metadata', join(root, META_FILE), error);
    }
    // Another process created it first: loop and check our key against theirs.
  }
  throw storeError('store_unavailable', `Could not initialise the file store in ${root}.`, {
    path: root,
  });
}
