import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../settings.ts';

export type KeychainAvailability =
  | { available: true }
  | { available: false; reason: string; message: string };

/**
 * Whether the OS keychain is usable here. On Linux without a session bus the answer
 * is known without starting the probe's child process.
 */
export async function probeKeychain(settings: Settings): Promise<KeychainAvailability> {
  const env = settings.env;
  const systemdBus = env.XDG_RUNTIME_DIR ? existsSync(join(env.XDG_RUNTIME_DIR, 'bus')) : false;
  if (process.platform === 'linux' && !env.DBUS_SESSION_BUS_ADDRESS && !systemdBus) {
    return {
      available: false,
      reason: 'no-session-bus',
      message:
        'There is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service.',
    };
  }
  try {
    const { keychainStore } = await import('@mcp-oauth/store-keychain');
    const result = await keychainStore({ namespace: settings.namespace }).probe();
    return result.available
      ? { available: true }
      : { available: false, reason: result.reason, message: result.error.message };
  } catch (error) {
    return {
      available: false,
      reason: 'error',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
