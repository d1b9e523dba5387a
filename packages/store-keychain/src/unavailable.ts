import { McpOAuthError } from '@mcp-oauth/core/store';

/**
 * Why the platform credential store cannot be used here: no D-Bus session bus, no Secret
 * Service on it, a locked keyring, access denied, no answer in time, no native binding for
 * this platform, or another failure.
 *
 * @example
 * ```ts
 * import { type KeychainUnavailableReason, keychainStore } from '@mcp-oauth/store-keychain';
 *
 * const probe = await keychainStore().probe();
 * const reason: KeychainUnavailableReason | undefined = probe.available ? undefined : probe.reason;
 * if (reason === 'locked') console.error('Unlock your keyring, then try again.');
 * ```
 */
export type KeychainUnavailableReason =
  | 'no-session-bus'
  | 'no-secret-service'
  | 'locked'
  | 'access-denied'
  | 'timeout'
  | 'unsupported-platform'
  | 'error';

const FILE_STORE = 'or use the encrypted file store (@mcp-oauth/store-file, `--store file`)';

const ADVICE: Record<KeychainUnavailableReason, string> = {
  'no-session-bus':
    'No D-Bus session bus is reachable (DBUS_SESSION_BUS_ADDRESS is unset or points nowhere), so the Secret Service cannot be reached. Run inside a desktop session or start one with `dbus-run-session`, ' +
    FILE_STORE,
  'no-secret-service':
    'No Secret Service answers on the session bus. Install and start one (`apt-get install gnome-keyring`, then `gnome-keyring-daemon --start --components=secrets`), ' +
    FILE_STORE,
  locked:
    'The keyring is locked (or has no default keyring) and no unlock prompt could be shown. Unlock it (log in to the desktop, or `echo -n PASSWORD | gnome-keyring-daemon --unlock --components=secrets`; on macOS unlock the login keychain), ' +
    FILE_STORE,
  'access-denied':
    'Access to the platform credential store was denied. Allow this program to use the keychain, unlock it, ' +
    FILE_STORE,
  timeout:
    'The platform credential store did not answer in time (a keyring waiting on an unlock prompt, or a session bus without a Secret Service). Unlock the keyring or start gnome-keyring, ' +
    FILE_STORE,
  'unsupported-platform':
    '@napi-rs/keyring has no native binding for this platform, so the OS credential store cannot be used; use the encrypted file store (@mcp-oauth/store-file, `--store file`) instead.',
  error: `The platform credential store failed. Check that it works (for example with \`secret-tool\` or Keychain Access), ${FILE_STORE}.`,
};

/** The message every `store_unavailable` error of this package carries: what to do next. */
export function unavailableMessage(reason: KeychainUnavailableReason, service: string): string {
  return `The OS credential store (service "${service}") is unavailable: ${ADVICE[reason]}`;
}

export function unavailableError(
  reason: KeychainUnavailableReason,
  service: string,
  cause: unknown,
  details: Record<string, string | number | boolean | undefined> = {},
): McpOAuthError {
  return new McpOAuthError('store_unavailable', unavailableMessage(reason, service), {
    cause,
    details: { reason, service, ...details },
  });
}

/**
 * Sorts a native failure from @napi-rs/keyring (keyring-rs) into a reason the store is
 * unusable, or `undefined` when the failure is about one entry, not the store.
 * Matched on messages because keyring-rs reports them as strings.
 */
export function classifyNativeError(error: unknown): KeychainUnavailableReason | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (
    /native binding|Cannot find module '@napi-rs\/keyring-|Failed to load native/i.test(message)
  ) {
    return 'unsupported-platform';
  }
  if (
    /autolaunch|DBUS_SESSION_BUS_ADDRESS|Failed to connect to (socket|address)|Connection refused|Could not connect|Address does not contain a colon/i.test(
      message,
    )
  ) {
    return 'no-session-bus';
  }
  if (
    /ServiceUnknown|not provided by any \.service files|NameHasNoOwner|no secret service/i.test(
      message,
    )
  ) {
    return 'no-secret-service';
  }
  if (
    /prompt was dismissed|is locked|locked collection|interaction is not allowed|no result found/i.test(
      message,
    )
  ) {
    return 'locked';
  }
  if (
    /AccessDenied|access denied|Couldn't access platform storage|NoStorageAccess/i.test(message)
  ) {
    return 'access-denied';
  }
  return undefined;
}
