/** Why no browser is launched on this machine. */
export type NoBrowserReason = 'browser_none' | 'ci' | 'ssh' | 'no_display';

export type BrowserEnvironment =
  | { kind: 'browser_variable'; value: string }
  | { kind: 'system' }
  | { kind: 'none'; reason: NoBrowserReason };

const isSet = (value: string | undefined) =>
  value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

/**
 * Decides how a URL can be opened here. An explicit `BROWSER` wins (`BROWSER=none` disables
 * opening); on CI or over SSH nobody sits at this machine's screen; on Linux and the BSDs a
 * graphical session is needed (`DISPLAY` or `WAYLAND_DISPLAY`), except under WSL, where the
 * Windows browser is used. macOS and Windows always have a system opener.
 */
export function detectBrowserEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
): BrowserEnvironment {
  const browser = env.BROWSER?.trim();
  if (browser !== undefined && browser !== '') {
    return browser === 'none'
      ? { kind: 'none', reason: 'browser_none' }
      : { kind: 'browser_variable', value: browser };
  }
  if (isSet(env.CI)) return { kind: 'none', reason: 'ci' };
  if (isSet(env.SSH_CONNECTION) || isSet(env.SSH_TTY) || isSet(env.SSH_CLIENT)) {
    return { kind: 'none', reason: 'ssh' };
  }
  if (platform === 'darwin' || platform === 'win32') return { kind: 'system' };
  if (isSet(env.WSL_DISTRO_NAME) || isSet(env.WSL_INTEROP)) return { kind: 'system' };
  if (isSet(env.DISPLAY) || isSet(env.WAYLAND_DISPLAY)) return { kind: 'system' };
  return { kind: 'none', reason: 'no_display' };
}
