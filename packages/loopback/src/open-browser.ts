import type { ChildProcess } from 'node:child_process';
import { McpOAuthError } from '@mcp-oauth/core';
import { browserCommands } from './browser-command.ts';
import { detectBrowserEnvironment, type NoBrowserReason } from './browser-environment.ts';
import { spawnDetached } from './spawn-detached.ts';
import { createSystemOpener, type SystemOpener } from './system-opener.ts';

/**
 * What `openBrowser` did: opened the URL, and how; or not, and why.
 *
 * @example
 * ```ts
 * import { openBrowser, type OpenBrowserResult } from '@mcp-oauth/loopback';
 *
 * const url = 'https://auth.example.com/authorize?client_id=my-client';
 * const result: OpenBrowserResult = await openBrowser(url);
 * if (!result.opened) console.error(`Open this URL in a browser: ${url}`);
 * ```
 */
export type OpenBrowserResult =
  | {
      /** A launcher was started. */
      opened: true;
      /** Which: the `BROWSER` command or the platform's opener. */
      method: 'browser_variable' | 'system';
    }
  | {
      /** Nothing was opened: show the URL. */
      opened: false;
      /** Why: no browser here (`NoBrowserReason`), or the launch failed. */
      reason: NoBrowserReason | 'launch_failed';
      /** The launch error, for `launch_failed`. */
      error?: unknown;
    };

/**
 * Options of `openBrowser`.
 *
 * @example
 * ```ts
 * import { openBrowser } from '@mcp-oauth/loopback';
 *
 * const url = 'https://example.com/';
 * await openBrowser(url, {
 *   env: { BROWSER: 'firefox' },
 *   onLaunchFailed: () => console.error(`Open this URL in a browser: ${url}`),
 * });
 * ```
 */
export interface OpenBrowserOptions {
  /** Environment to read `BROWSER`, `DISPLAY`, `CI`, `SSH_CONNECTION`... from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The platform whose opener is used. Default `process.platform`. */
  platform?: NodeJS.Platform;
  /**
   * Called when the launcher started but then exited with a failure status (for example
   * `xdg-open` finding no browser), so the caller can show the URL after all.
   */
  onLaunchFailed?: (error: McpOAuthError) => void;
}

/** Accepts only absolute http(s) URLs and returns the normalized form that will be opened. */
export function assertBrowsableUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new McpOAuthError(
      'invalid_configuration',
      'The URL to open in a browser is not a valid absolute URL.',
      {
        cause,
      },
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new McpOAuthError(
      'invalid_configuration',
      `Only http: and https: URLs are opened in a browser (got a ${parsed.protocol} URL).`,
      { details: { protocol: parsed.protocol } },
    );
  }
  return parsed.href;
}

const launchFailure = (message: string, cause?: unknown) =>
  new McpOAuthError('interaction_failed', message, {
    cause,
    details: { reason: 'browser_launch_failed' },
  });

function watchExit(
  child: ChildProcess,
  what: string,
  onLaunchFailed?: (error: McpOAuthError) => void,
) {
  child.on('error', () => {});
  child.once('exit', (code, signal) => {
    if (code !== 0 && onLaunchFailed) {
      onLaunchFailed(
        launchFailure(
          `${what} exited with ${code === null ? `signal ${String(signal)}` : `status ${code}`}.`,
        ),
      );
    }
  });
}

/** `openBrowser` with the system opener replaceable (tests). */
export async function openBrowserWith(
  url: string,
  options: OpenBrowserOptions,
  systemOpener: SystemOpener,
): Promise<OpenBrowserResult> {
  const target = assertBrowsableUrl(url);
  const environment = detectBrowserEnvironment(
    options.env ?? process.env,
    options.platform ?? process.platform,
  );
  if (environment.kind === 'none') return { opened: false, reason: environment.reason };

  if (environment.kind === 'browser_variable') {
    let commands: string[][];
    try {
      commands = browserCommands(environment.value, target);
    } catch (error) {
      return { opened: false, reason: 'launch_failed', error };
    }
    const errors: unknown[] = [];
    for (const argv of commands) {
      try {
        const child = await spawnDetached(argv);
        watchExit(child, 'The BROWSER program', options.onLaunchFailed);
        return { opened: true, method: 'browser_variable' };
      } catch (error) {
        errors.push(error);
      }
    }
    return {
      opened: false,
      reason: 'launch_failed',
      error: launchFailure(
        'No program named in BROWSER could be started.',
        new AggregateError(errors),
      ),
    };
  }

  try {
    const child = await systemOpener(target);
    watchExit(child, 'The system browser launcher', options.onLaunchFailed);
    return { opened: true, method: 'system' };
  } catch (error) {
    return {
      opened: false,
      reason: 'launch_failed',
      error: launchFailure('The system browser launcher could not be started.', error),
    };
  }
}

/**
 * Opens an http(s) URL in the user's browser without a shell: `BROWSER` when set (split
 * into argv, `%s` replaced by the URL), otherwise the platform's opener (`defaultOpener`:
 * `open`, `rundll32.exe url.dll,FileProtocolHandler`, `xdg-open`). Resolves with
 * `opened: false` and a reason when no browser can be opened here (CI, SSH, no display,
 * `BROWSER=none`) or the launch failed; the caller should then show the URL.
 * Throws `invalid_configuration` for a URL that is not http(s).
 *
 * @example
 * ```ts
 * import { openBrowser } from '@mcp-oauth/loopback';
 *
 * const url = 'https://example.com/device';
 * const result = await openBrowser(url);
 * if (!result.opened) console.error(`Open this URL in a browser: ${url}`);
 * ```
 */
export function openBrowser(
  url: string,
  options: OpenBrowserOptions = {},
): Promise<OpenBrowserResult> {
  return openBrowserWith(url, options, createSystemOpener(options.platform));
}
