import { isAbsolute, join } from 'node:path';

/** Where to look: the environment, the platform and the home folder (for tests, all three). */
export interface Surroundings {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * The user's home folder, as `os.homedir()` gives it: outside Windows, `$HOME` when it is set
 * (libuv's rule), read here without loading node:os, which a command started often (the CLI's
 * quick commands) would otherwise load for this alone; an empty or missing one is left to
 * `os.homedir()`.
 */
export function homeDirectory(): string {
  const home = process.platform === 'win32' ? undefined : process.env.HOME;
  return home ? home : process.getBuiltinModule('node:os').homedir();
}

/** An XDG variable's value, if usable: the XDG spec says relative values must be ignored. */
function absolute(value: string | undefined): string | undefined {
  return value && isAbsolute(value) ? value : undefined;
}

/**
 * The per-user folder for `app`'s lasting data: `$XDG_DATA_HOME/<app>` or
 * `~/.local/share/<app>` (Linux and other Unix), `~/Library/Application Support/<app>`
 * (macOS), `%APPDATA%\<app>` (Windows).
 */
export function userDataDirectory(app: string, where: Surroundings = {}): string {
  const { env = process.env, platform = process.platform, home = homeDirectory() } = where;
  if (platform === 'win32') {
    return join(absolute(env.APPDATA) ?? join(home, 'AppData', 'Roaming'), app);
  }
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', app);
  return join(absolute(env.XDG_DATA_HOME) ?? join(home, '.local', 'share'), app);
}

/**
 * The per-user folder for `app`'s files that may be lost: `$XDG_CACHE_HOME/<app>` or
 * `~/.cache/<app>`, `~/Library/Caches/<app>` (macOS), `%LOCALAPPDATA%\<app>` (Windows).
 */
export function userCacheDirectory(app: string, where: Surroundings = {}): string {
  const { env = process.env, platform = process.platform, home = homeDirectory() } = where;
  if (platform === 'win32') {
    return join(absolute(env.LOCALAPPDATA) ?? join(home, 'AppData', 'Local'), app);
  }
  if (platform === 'darwin') return join(home, 'Library', 'Caches', app);
  return join(absolute(env.XDG_CACHE_HOME) ?? join(home, '.cache'), app);
}

/**
 * The per-user folder for `app`'s runtime files (locks, sockets): `$XDG_RUNTIME_DIR/<app>`
 * (private to the user, emptied at logout), or undefined where there is none.
 */
export function userRuntimeDirectory(app: string, where: Surroundings = {}): string | undefined {
  const runtime = absolute((where.env ?? process.env).XDG_RUNTIME_DIR);
  return runtime ? join(runtime, app) : undefined;
}
