import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

const APP = 'mcp-oauth';

/** The platform's per-user data folder for the store. */
export function defaultDirectory(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    const appData = env.APPDATA;
    return appData && isAbsolute(appData)
      ? join(appData, APP)
      : join(home, 'AppData', 'Roaming', APP);
  }
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP);
  const xdg = env.XDG_DATA_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  return xdg && isAbsolute(xdg) ? join(xdg, APP) : join(home, '.local', 'share', APP);
}
