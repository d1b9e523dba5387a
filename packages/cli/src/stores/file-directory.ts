import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The file store's default folder, by the rules of @mcp-oauth/store-file (for display only). */
export function defaultFileDirectory(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string {
  const home = env.HOME || homedir();
  if (platform === 'win32')
    return env.APPDATA && isAbsolute(env.APPDATA)
      ? join(env.APPDATA, 'mcp-oauth')
      : join(home, 'AppData', 'Roaming', 'mcp-oauth');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'mcp-oauth');
  return env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME)
    ? join(env.XDG_DATA_HOME, 'mcp-oauth')
    : join(home, '.local', 'share', 'mcp-oauth');
}
