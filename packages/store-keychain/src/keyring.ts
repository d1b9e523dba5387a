import { createRequire } from 'node:module';
import { McpOAuthError } from '@mcp-oauth/core/store';
import { classifyNativeError, unavailableError } from './unavailable.ts';

type KeyringModule = typeof import('@napi-rs/keyring');

/** Byte-level access to entries of one service: the only code that touches the native module. */
export interface SecretBackend {
  read(account: string): Promise<Uint8Array | undefined>;
  write(account: string, data: Uint8Array): Promise<void>;
  /** Returns whether the entry existed. */
  remove(account: string): Promise<boolean>;
}

const require = createRequire(import.meta.url);
let loaded: KeyringModule | undefined;

/** The native module is loaded on first use, so importing this package never throws. */
export function loadKeyring(service: string): KeyringModule {
  if (loaded) return loaded;
  try {
    loaded = require('@napi-rs/keyring') as KeyringModule;
    return loaded;
  } catch (error) {
    throw unavailableError('unsupported-platform', service, error);
  }
}

/** Resolved path of the native module, for the probe's child process. */
export function keyringModulePath(): string {
  return require.resolve('@napi-rs/keyring');
}

/**
 * On Linux the entries are pinned to the Secret Service: keyring-rs would otherwise fall back
 * to the kernel keyring, which forgets everything at logout and would hide a missing bus.
 */
export const ENTRY_OPTIONS = { linux: { store: 'secret-service' } } as const;

type Operation = 'read' | 'write' | 'delete';

function mapError(error: unknown, operation: Operation, service: string, account: string) {
  if (McpOAuthError.isInstance(error)) return error;
  const reason = classifyNativeError(error);
  // Reads on a locked Secret Service report "not found": never mistaken for a failure here
  // (the store checks for a locked keyring on misses), so only writes see "no result found".
  if (reason) return unavailableError(reason, service, error, { account });
  const code = operation === 'read' ? 'store_read_failed' : 'store_write_failed';
  const verb = operation === 'read' ? 'read' : operation === 'write' ? 'write' : 'delete';
  return new McpOAuthError(
    code,
    `Could not ${verb} the keychain entry "${account}" (service "${service}"). Check that the credential store works (for example with \`secret-tool search service ${service}\`), or use the file store.`,
    { cause: error, details: { service, account } },
  );
}

/**
 * The end of the queue every native call of this process joins. Each call of the native
 * module opens a D-Bus connection and a Secret Service session of its own. gnome-keyring-daemon
 * (42 to 50 at least) has a race in OpenSession that aborts the whole daemon ("assertion
 * 'client' failed") when clients connect and disconnect quickly, and several calls at once
 * (the module runs them on libuv's thread pool) make it far likelier. One call at a time per
 * process costs nothing worth counting: the daemon answers one request at a time anyway.
 */
let queue: Promise<unknown> = Promise.resolve();

/**
 * The daemon died while the call waited for its answer (the race above, or a restart), or
 * between opening the call's session and using it (the new daemon knows no such session).
 */
const DAEMON_LOST =
  /disconnected from message bus without replying|org\.freedesktop\.DBus\.Error\.NoReply|session does not exist|Secret\.Error\.NoSession/i;

/**
 * Runs `call` after every native call queued before it. A call that lost the daemon is made
 * once more: the session bus starts a new daemon on demand (on a desktop it may then ask the
 * user to unlock the keyring, as after any restart). Each call is idempotent (read, replace,
 * delete); a repeated delete that had already taken effect reports the entry as missing.
 */
function serialized<T>(call: () => Promise<T>): Promise<T> {
  // async: the native constructor talks to the bus too, and throws rather than rejects.
  const once = async () => {
    try {
      return await call();
    } catch (error) {
      if (!DAEMON_LOST.test(error instanceof Error ? error.message : String(error))) throw error;
      return call();
    }
  };
  const result = queue.then(once);
  queue = result.catch(() => undefined);
  return result;
}

export function nativeBackend(service: string): SecretBackend {
  const entry = (account: string) => {
    const { AsyncEntry } = loadKeyring(service);
    return new AsyncEntry(service, account, ENTRY_OPTIONS);
  };
  return {
    async read(account) {
      try {
        const secret = await serialized(() => entry(account).getSecret());
        return secret === null ? undefined : Uint8Array.from(secret);
      } catch (error) {
        throw mapError(error, 'read', service, account);
      }
    },
    async write(account, data) {
      try {
        await serialized(() => entry(account).setSecret(data));
      } catch (error) {
        throw mapError(error, 'write', service, account);
      }
    },
    async remove(account) {
      try {
        return await serialized(() => entry(account).deleteCredential());
      } catch (error) {
        throw mapError(error, 'delete', service, account);
      }
    },
  };
}
