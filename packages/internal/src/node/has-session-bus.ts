import { join } from 'node:path';

const { existsSync } = process.getBuiltinModule('node:fs'); // not imported: see README.md

/**
 * Whether a Linux process can reach a D-Bus session bus, and so possibly a Secret Service:
 * `DBUS_SESSION_BUS_ADDRESS` is set, or systemd's socket exists in `XDG_RUNTIME_DIR`.
 * Other platforms have their keychain without a bus. Answers without starting a process.
 */
export function hasSessionBus(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (platform !== 'linux') return true;
  if (env.DBUS_SESSION_BUS_ADDRESS) return true;
  return env.XDG_RUNTIME_DIR ? existsSync(join(env.XDG_RUNTIME_DIR, 'bus')) : false;
}
