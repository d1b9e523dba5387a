import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { McpOAuthError } from '@mcp-oauth/core';
import { describe, expect, it, vi } from 'vitest';
import { openBrowser, openBrowserWith } from '../src/open-browser.ts';
import { fakeBrowser, readJson, tempDir } from './helpers.ts';

const DISPLAY_ENV = { DISPLAY: ':0' };

describe('openBrowser', () => {
  it('rejects URLs that are not http(s) with invalid_configuration, before launching anything', async () => {
    const systemOpener = vi.fn();
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'ms-settings:', 'not a url']) {
      const error = await openBrowserWith(
        url,
        { env: DISPLAY_ENV, platform: 'linux' },
        systemOpener,
      ).catch((e: unknown) => e);
      expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
    }
    expect(systemOpener).not.toHaveBeenCalled();
  });

  it('passes the URL to BROWSER as one argv element: shell syntax never runs', async () => {
    const dir = await tempDir();
    const script = await fakeBrowser(dir);
    const marker = join(dir, 'pwned');
    // No spaces (they would be percent-encoded): ${IFS} is how a shell payload spells one.
    const payloads = [
      `$(touch\${IFS}${marker})`,
      `;touch\${IFS}${marker}2;`,
      `\`touch\${IFS}${marker}3\``,
      `|touch\${IFS}${marker}4&&`,
    ];
    const url = `https://as.example/authorize?q=${payloads.join('&x=')}`;
    expect(new URL(url).href).toBe(url);
    const result = await openBrowser(url, { env: { BROWSER: script }, platform: 'linux' });
    expect(result).toEqual({ opened: true, method: 'browser_variable' });
    const argv = await readJson<string[]>(join(dir, 'argv.json'));
    expect(argv).toEqual([url]);
    for (const payload of payloads) expect(argv[0]).toContain(payload);
    for (const suffix of ['', '2', '3', '4']) expect(existsSync(marker + suffix)).toBe(false);
  });

  it('splits BROWSER into a program with arguments and replaces %s', async () => {
    const dir = join(await tempDir(), 'with space');
    await mkdir(dir);
    const script = await fakeBrowser(dir);
    const url = 'https://as.example/authorize?x=1';
    const result = await openBrowser(url, {
      env: { BROWSER: `'${script}' --new-window --target=%s` },
      platform: 'linux',
    });
    expect(result.opened).toBe(true);
    expect(await readJson<string[]>(join(dir, 'argv.json'))).toEqual([
      '--new-window',
      `--target=${url}`,
    ]);
  });

  it('tries the next BROWSER entry when a program cannot be started', async () => {
    const dir = await tempDir();
    const script = await fakeBrowser(dir);
    const result = await openBrowser('https://as.example/', {
      env: { BROWSER: `/nonexistent/browser:${script}` },
      platform: 'linux',
    });
    expect(result).toEqual({ opened: true, method: 'browser_variable' });
    expect(await readJson<string[]>(join(dir, 'argv.json'))).toEqual(['https://as.example/']);
  });

  it('reports launch_failed when no BROWSER program starts, or BROWSER is malformed', async () => {
    const missing = await openBrowser('https://as.example/', {
      env: { BROWSER: '/nonexistent/browser' },
      platform: 'linux',
    });
    expect(missing).toMatchObject({ opened: false, reason: 'launch_failed' });
    const malformed = await openBrowser('https://as.example/', {
      env: { BROWSER: '"unterminated' },
      platform: 'linux',
    });
    expect(malformed).toMatchObject({ opened: false, reason: 'launch_failed' });
  });

  it('reports a BROWSER program that exits with a failure status', async () => {
    const onLaunchFailed = vi.fn();
    const result = await openBrowser('https://as.example/', {
      env: { BROWSER: `${process.execPath} -e process.exit(3)` },
      platform: 'linux',
      onLaunchFailed,
    });
    expect(result.opened).toBe(true);
    await vi.waitFor(() => expect(onLaunchFailed).toHaveBeenCalledTimes(1), { timeout: 5_000 });
    expect(McpOAuthError.is(onLaunchFailed.mock.calls[0]?.[0], 'interaction_failed')).toBe(true);
  });

  it('opens nothing on CI, over SSH, without a display, or with BROWSER=none', async () => {
    const systemOpener = vi.fn();
    const url = 'https://as.example/';
    const cases = [
      [{ CI: 'true', DISPLAY: ':0' }, 'ci'],
      [{ SSH_CONNECTION: '10.0.0.1 1 10.0.0.2 22', DISPLAY: ':0' }, 'ssh'],
      [{}, 'no_display'],
      [{ BROWSER: 'none', DISPLAY: ':0' }, 'browser_none'],
    ] as const;
    for (const [env, reason] of cases) {
      expect(await openBrowserWith(url, { env, platform: 'linux' }, systemOpener)).toEqual({
        opened: false,
        reason,
      });
    }
    expect(systemOpener).not.toHaveBeenCalled();
  });

  it('uses the system opener when a display is there, and reports its failures', async () => {
    const launcher = () => spawn(process.execPath, ['-e', 'process.exit(4)'], { stdio: 'ignore' });
    const onLaunchFailed = vi.fn();
    const opened = await openBrowserWith(
      'https://as.example/a?b=c',
      { env: DISPLAY_ENV, platform: 'linux', onLaunchFailed },
      (url) => {
        expect(url).toBe('https://as.example/a?b=c');
        return Promise.resolve(launcher());
      },
    );
    expect(opened).toEqual({ opened: true, method: 'system' });
    await vi.waitFor(() => expect(onLaunchFailed).toHaveBeenCalledTimes(1), { timeout: 5_000 });

    const failed = await openBrowserWith(
      'https://as.example/',
      { env: DISPLAY_ENV, platform: 'linux' },
      () => Promise.reject(new Error('spawn xdg-open ENOENT')),
    );
    expect(failed).toMatchObject({ opened: false, reason: 'launch_failed' });
  });
});
