import { hasSessionBus } from '@mcp-oauth/internal/node';
import { type FileStore, fileStore } from '@mcp-oauth/store-file';
import {
  type KeychainStore,
  type KeychainUnavailableReason,
  keychainStore,
} from '@mcp-oauth/store-keychain';
import type { DefaultStoreOptions } from './options.ts';

/**
 * Which store {@link defaultStore} chose, and why.
 *
 * @example
 * ```ts
 * import { type DefaultStoreChoice, defaultStore } from '@mcp-oauth/store-default';
 *
 * const describe = (choice: DefaultStoreChoice) =>
 *   choice.kind === 'keychain' ? 'OS keychain' : `encrypted file (${choice.message})`;
 * const store = await defaultStore();
 * console.error(`tokens kept in the ${describe(store.choice)}`);
 * ```
 */
export type DefaultStoreChoice =
  | {
      /** The OS keychain store was chosen. */
      readonly kind: 'keychain';
      /** It answered the probe. */
      readonly reason: 'keychain-usable';
    }
  | {
      /** The encrypted file store was chosen. */
      readonly kind: 'file';
      /** Why the keychain was passed over: no session bus, or what its probe reported. */
      readonly reason: 'no-session-bus' | KeychainUnavailableReason;
      /** The keychain's own explanation, for logs and `--verbose` output (never a secret). */
      readonly message: string;
    };

/**
 * The store {@link defaultStore} returns: the chosen store, with the choice it made.
 *
 * @example
 * ```ts
 * import { type DefaultStore, defaultStore } from '@mcp-oauth/store-default';
 *
 * const store: DefaultStore = await defaultStore({ namespace: 'my-app' });
 * if (store.choice.kind === 'file') console.error(store.choice.message);
 * await store.close?.();
 * ```
 */
export type DefaultStore = (KeychainStore | FileStore) & {
  /** Which store was chosen, and why. */
  readonly choice: DefaultStoreChoice;
};

/**
 * The store an app gets when it has no reason to pick one: the OS keychain (macOS Keychain,
 * Windows Credential Manager, the Secret Service on Linux) when it answers a probe (one entry
 * written, read back and deleted, in a child process bounded by `keychain.probeTimeoutMs`),
 * else the encrypted file store. The mcp-oauth CLI's `--store auto` makes the same choice.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { loopbackInteraction } from '@mcp-oauth/loopback';
 * import { defaultStore } from '@mcp-oauth/store-default';
 *
 * const store = await defaultStore();
 * console.error(`tokens kept in the ${store.choice.kind} store`);
 * const oauth = createOAuthClient({
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   store,
 *   interaction: loopbackInteraction(),
 * });
 * ```
 */
export async function defaultStore(options: DefaultStoreOptions = {}): Promise<DefaultStore> {
  const namespace = options.namespace === undefined ? {} : { namespace: options.namespace };
  const useFile = (
    reason: 'no-session-bus' | KeychainUnavailableReason,
    message: string,
  ): DefaultStore =>
    Object.assign(fileStore({ ...options.file, ...namespace }), {
      choice: { kind: 'file', reason, message } as const,
    });

  if (!hasSessionBus(options.env ?? process.env)) {
    return useFile(
      'no-session-bus',
      'There is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service.',
    );
  }
  const keychain = keychainStore({ ...options.keychain, ...namespace });
  const probe = await keychain.probe();
  if (!probe.available) {
    await keychain.close?.();
    return useFile(probe.reason, probe.error.message);
  }
  return Object.assign(keychain, {
    choice: { kind: 'keychain', reason: 'keychain-usable' } as const,
  });
}
