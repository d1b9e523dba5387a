import type { TokenStore } from '@mcp-oauth/core';
import { memoryStore } from '@mcp-oauth/core/store';
import { fileStore } from '@mcp-oauth/store-file';
import type { Output } from '../output.ts';
import type { ConcreteStoreKind, Settings } from '../settings.ts';
import { probeKeychain } from './probe-keychain.ts';

export interface OpenedStore {
  store: TokenStore;
  kind: ConcreteStoreKind;
  /** Why `auto` chose this backend, for `stores` and --verbose. */
  reason: string | undefined;
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
      return fileStore({
        ...(settings.dir ? { directory: settings.dir } : {}),
        namespace: settings.namespace,
        ...(settings.passphrase
          ? { keySource: { kind: 'passphrase', passphrase: settings.passphrase } }
          : {}),
        onWarning: (warning) => out.warn(warning.message),
      });
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

/** Opens the store the settings name; `auto` probes the keychain and falls back to the file store. */
export async function openStore(settings: Settings, out: Output): Promise<OpenedStore> {
  if (settings.store !== 'auto') {
    return {
      store: await openBackend(settings.store, settings, out),
      kind: settings.store,
      reason: undefined,
    };
  }
  const probe = await probeKeychain(settings);
  if (probe.available) {
    return {
      store: await openBackend('keychain', settings, out),
      kind: 'keychain',
      reason: 'the OS keychain is usable',
    };
  }
  return {
    store: await openBackend('file', settings, out),
    kind: 'file',
    reason: `the OS keychain is not usable (${probe.reason})`,
  };
}
