import type { TokenStore } from '@mcp-oauth/core';
import { memoryStore } from '@mcp-oauth/core/store';
import type { DefaultStoreChoice } from '@mcp-oauth/store-default';
import { type FileStoreOptions, fileStore } from '@mcp-oauth/store-file';
import type { Output } from '../output.ts';
import type { ConcreteStoreKind, Settings } from '../settings.ts';

export interface OpenedStore {
  store: TokenStore;
  kind: ConcreteStoreKind;
  /** Why `auto` chose this backend, for `stores` and --verbose. */
  reason: string | undefined;
}

/** The file store's options from the command line (--dir, MCP_OAUTH_PASSPHRASE). */
function fileOptions(settings: Settings, out: Output): Omit<FileStoreOptions, 'namespace'> {
  // said once: a command that lists the store several times meets the same file each time
  const said = new Set<string>();
  return {
    ...(settings.dir ? { directory: settings.dir } : {}),
    ...(settings.passphrase
      ? { keySource: { kind: 'passphrase', passphrase: settings.passphrase } }
      : {}),
    onWarning: (warning) => {
      if (said.has(warning.message)) return;
      said.add(warning.message);
      out.warn(warning.message);
    },
  };
}

/** Opens one concrete backend. */
export async function openBackend(
  kind: ConcreteStoreKind,
  settings: Settings,
  out: Output,
): Promise<TokenStore> {
  switch (kind) {
    case 'memory':
      return memoryStore();
    case 'file':
      return fileStore({ ...fileOptions(settings, out), namespace: settings.namespace });
    case 'keychain': {
      const { keychainStore } = await import('@mcp-oauth/store-keychain');
      return keychainStore({ namespace: settings.namespace });
    }
    case 'redis': {
      // the package and its Redis client: loaded by --store redis only, installed on request
      const { openRedisStore } = await import('./open-redis-store.ts');
      return openRedisStore(settings);
    }
  }
}

/**
 * `--store auto`: `defaultStore()` of @mcp-oauth/store-default, the library's rule (the OS
 * keychain when its probe answers, else the encrypted file store), with the CLI's settings.
 */
async function openAuto(settings: Settings, out: Output) {
  const { defaultStore } = await import('@mcp-oauth/store-default');
  return defaultStore({
    namespace: settings.namespace,
    env: settings.env,
    file: fileOptions(settings, out),
  });
}

/** Which store `--store auto` chooses here, and why; nothing is read or written. */
export async function autoChoice(settings: Settings, out: Output): Promise<DefaultStoreChoice> {
  await using store = await openAuto(settings, out);
  return store.choice;
}

/** Opens the store the settings name; `auto` probes the keychain and falls back to the file store. */
export async function openStore(settings: Settings, out: Output): Promise<OpenedStore> {
  if (settings.store !== 'auto') {
    return {
      store: await openBackend(settings.store, settings, out),
      kind: settings.store,
      reason: undefined,
    };
  }
  const store = await openAuto(settings, out);
  const { choice } = store;
  return {
    store,
    kind: choice.kind,
    reason:
      choice.kind === 'keychain'
        ? 'the OS keychain is usable'
        : `the OS keychain is not usable (${choice.reason})`,
  };
}
