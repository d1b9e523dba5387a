/**
 * Whether a browser can be opened on this machine, by the rules @mcp-oauth/loopback
 * follows (README, "How the browser is opened"): BROWSER wins ("none" disables it);
 * on CI, over SSH, or on Linux/BSD without a display nobody can use a browser here.
 */
export function browserAvailable(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): { available: boolean; reason?: string } {
  const set = (v: string | undefined) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
  const browser = env.BROWSER?.trim();
  if (browser) return browser === 'none' ? { available: false, reason: 'BROWSER=none' } : { available: true };
  if (set(env.CI)) return { available: false, reason: 'running on CI' };
  if (set(env.SSH_CONNECTION) || set(env.SSH_TTY) || set(env.SSH_CLIENT)) return { available: false, reason: 'connected over SSH' };
  if (platform === 'darwin' || platform === 'win32') return { available: true };
  if (set(env.WSL_DISTRO_NAME) || set(env.WSL_INTEROP)) return { available: true };
  if (set(env.DISPLAY) || set(env.WAYLAND_DISPLAY)) return { available: true };
  return { available: false, reason: 'no display' };
}
