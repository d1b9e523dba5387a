import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { McpOAuthError } from '@mcp-oauth/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isWsl } from '../src/default-opener.ts';
import { openBrowser } from '../src/open-browser.ts';
import { currentOpenerHost } from '../src/system-opener.ts';
import { readJson, tempDir } from './helpers.ts';

const DISPLAY_ENV = { DISPLAY: ':0' };

/**
 * Writes a fake `xdg-open` into `bin`: a `/bin/sh` wrapper (it must not need `PATH`) that
 * runs node on a script recording its argv as JSON in `dir/argv.json`, then exits with `status`.
 */
async function fakeXdgOpen(dir: string, status = 0): Promise<string> {
  const bin = join(dir, 'bin');
  await mkdir(bin);
  const recorder = join(dir, 'record.mjs');
  await writeFile(
    recorder,
    `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(join(dir, 'argv.json'))}, JSON.stringify(process.argv.slice(2)));
process.exit(${status});
`,
  );
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  const wrapper = join(bin, 'xdg-open');
  await writeFile(wrapper, `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(recorder)} "$@"\n`);
  await chmod(wrapper, 0o755);
  return bin;
}

// The real launcher on this machine is xdg-open only on Linux/BSD (and macOS when told
// `platform: 'linux'`); under WSL or on Windows the default opener is rundll32.exe.
const xdgOpenIsTheDefault = process.platform !== 'win32' && !isWsl(currentOpenerHost());

describe.skipIf(!xdgOpenIsTheDefault)('the default system opener, run for real', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('hands xdg-open from PATH the URL as one argument: shell syntax in it never runs', async () => {
    const dir = await tempDir();
    const bin = await fakeXdgOpen(dir);
    const marker = join(dir, 'pwned');
    // Spaces would be percent-encoded: ${IFS} is how a shell payload spells one.
    const url =
      `https://as.example/authorize?a=1&b=$(touch\${IFS}${marker})|x;y` +
      `&c=\`touch\${IFS}${marker}2\`&d=;touch\${IFS}${marker}3;&e=|touch\${IFS}${marker}4&&`;
    expect(new URL(url).href).toBe(url);
    vi.stubEnv('PATH', `${bin}${delimiter}${process.env.PATH ?? ''}`);

    const result = await openBrowser(url, { env: DISPLAY_ENV, platform: 'linux' });

    expect(result).toEqual({ opened: true, method: 'system' });
    expect(await readJson<string[]>(join(dir, 'argv.json'))).toEqual([url]);
    for (const suffix of ['', '2', '3', '4']) expect(existsSync(marker + suffix)).toBe(false);
  });

  it('without xdg-open on PATH: launch_failed with interaction_failed / browser_launch_failed, no query in the message', async () => {
    const empty = await tempDir();
    vi.stubEnv('PATH', empty);
    const url = 'https://as.example/authorize?state=s3cr3t-state&code_challenge=chal1enge';

    const result = await openBrowser(url, { env: DISPLAY_ENV, platform: 'linux' });

    expect(result).toMatchObject({ opened: false, reason: 'launch_failed' });
    const error = result.opened ? undefined : result.error;
    expect(McpOAuthError.is(error, 'interaction_failed')).toBe(true);
    const typed = error as McpOAuthError;
    expect(typed.details).toEqual({ reason: 'browser_launch_failed' });
    expect(typed.message).toBe('The system browser launcher could not be started.');
    expect((typed.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(typed.message).not.toContain('s3cr3t-state');
    expect(typed.message).not.toContain('chal1enge');
  });

  it('reports an xdg-open that exits with a failure status through onLaunchFailed', async () => {
    const dir = await tempDir();
    vi.stubEnv('PATH', await fakeXdgOpen(dir, 3));
    const onLaunchFailed = vi.fn();

    const result = await openBrowser('https://as.example/authorize?state=s3cr3t-state', {
      env: DISPLAY_ENV,
      platform: 'linux',
      onLaunchFailed,
    });

    expect(result).toEqual({ opened: true, method: 'system' });
    await vi.waitFor(() => expect(onLaunchFailed).toHaveBeenCalledTimes(1), { timeout: 5_000 });
    const error = onLaunchFailed.mock.calls[0]?.[0] as McpOAuthError;
    expect(McpOAuthError.is(error, 'interaction_failed')).toBe(true);
    expect(error.details).toEqual({ reason: 'browser_launch_failed' });
    expect(error.message).toBe('The system browser launcher exited with status 3.');
    expect(await readJson<string[]>(join(dir, 'argv.json'))).toEqual([
      'https://as.example/authorize?state=s3cr3t-state',
    ]);
  });
});
