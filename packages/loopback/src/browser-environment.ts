/**
 * Why no browser is launched on this machine: `BROWSER=none`, a CI run, an SSH session, or no
 * graphical display.
 *
 * @example
 * ```ts
 * import type { NoBrowserReason } from '@mcp-oauth/loopback';
 *
 * const hints: Record<NoBrowserReason, string> = {
 *   browser_none: 'BROWSER=none is set',
 *   ci: 'this is a CI run',
 *   ssh: 'this is an SSH session: open the URL on your own machine',
 *   no_display: 'no graphical display was found',
 * };
 * ```
 */
export type NoBrowserReason = 'browser_none' | 'ci' | 'ssh' | 'no_display';

/**
 * How a URL can be opened on this machine, as `detectBrowserEnvironment` finds it.
 *
 * @example
 * ```ts
 * import { type BrowserEnvironment, detectBrowserEnvironment } from '@mcp-oauth/loopback';
 *
 * const found: BrowserEnvironment = detectBrowserEnvironment(process.env, process.platform);
 * if (found.kind === 'none') console.error(`no browser here (${found.reason})`);
 * ```
 */
export type BrowserEnvironment =
  | {
      /** The `BROWSER` variable names the command to run. */
      kind: 'browser_variable';
      /** The `BROWSER` variable's value, e.g. `firefox` or `chromium %s`. */
      value: string;
    }
  | {
      /** The platform's own opener (`open`, `xdg-open`, Windows' URL handler). */
      kind: 'system';
    }
  | {
      /** No browser can be opened here; show the URL instead. */
      kind: 'none';
      /** Why not. */
      reason: NoBrowserReason;
    };

const isSet = (value: string | undefined) =>
  value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

/**
 * Decides how a URL can be opened here. An explicit `BROWSER` wins (`BROWSER=none` disables
 * opening); on CI or over SSH nobody sits at this machine's screen; on Linux and the BSDs a
 * graphical session is needed (`DISPLAY` or `WAYLAND_DISPLAY`), except under WSL, where the
 * Windows browser is used. macOS and Windows always have a system opener.
 *
 * @example
 * ```ts
 * import { detectBrowserEnvironment } from '@mcp-oauth/loopback';
 *
 * detectBrowserEnvironment({ CI: 'true' }, 'linux'); // { kind: 'none', reason: 'ci' }
 * detectBrowserEnvironment({ DISPLAY: ':0' }, 'linux'); // { kind: 'system' }
 * ```
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
