import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { obtainTokens, type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, createSandbox, type Sandbox } from './helpers.ts';

/** `login <url> --with-token`: a token someone already holds, read from stdin; no browser. */
let stack: Stack;
let box: Sandbox;

beforeAll(async () => {
  stack = await startStack();
  box = await createSandbox();
  // no browser may be opened: the test fails if the CLI tries
  box.env.BROWSER = join(box.dir, 'no-browser-here');
});

afterAll(async () => {
  await stack?.close();
  await box?.close();
});

const tokens = (scope = 'mcp:read') =>
  obtainTokens({ issuer: stack.as.issuer, resource: stack.mcp.url, scope });

/** Every file of the store folder, read as text: a token must not be found in clear. */
async function storeFilesText(): Promise<string> {
  const dir = join(box.dir, 'store');
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = names.filter((n) => n.isFile()).map((n) => join(n.parentPath, n.name));
  return (await Promise.all(files.map((f) => readFile(f, 'latin1')))).join('\n');
}

describe('login --with-token', () => {
  it('stores an access token piped in; header yields it, test works against the MCP server', async () => {
    const { accessToken } = await tokens();
    const login = await box.run(['login', stack.mcp.url, '--name', 'ci', '--with-token'], {
      input: `${accessToken}\n`,
    });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toContain('Stored the token');
    expect(login.stdout + login.stderr).not.toContain(accessToken);
    expect(await storeFilesText()).not.toContain(accessToken);

    const header = await box.run(['header', 'ci']);
    expect(header.code, header.stderr).toBe(0);
    expect(header.stdout).toBe(`Authorization: Bearer ${accessToken}\n`);

    const test = await box.run(['test', 'ci', '--json']);
    expect(test.code, test.stderr).toBe(0);
    expect(JSON.parse(test.stdout).tools.length).toBeGreaterThan(0);
  });

  it('takes a JSON token response in place of the stored one; with --client-id its refresh token refreshes', async () => {
    const obtained = await tokens('mcp:read offline_access');
    expect(obtained.refreshToken).toBeDefined();
    const login = await box.run(
      [
        'login',
        stack.mcp.url,
        '--name',
        'ci',
        '--with-token',
        '--client-id',
        obtained.clientId,
        '--json',
      ],
      { input: JSON.stringify(obtained.raw) },
    );
    expect(login.code, login.stderr).toBe(0);
    const out = JSON.parse(login.stdout);
    expect(out).toMatchObject({
      schemaVersion: 1,
      name: 'ci',
      flow: 'token',
      issuer: stack.as.issuer,
      resource: stack.mcp.url,
      hasRefreshToken: true,
      scope: obtained.scope,
    });
    expect(Date.parse(out.expiresAt)).toBeGreaterThan(Date.now());
    expect(login.stdout + login.stderr).not.toContain(obtained.accessToken);
    expect(login.stdout + login.stderr).not.toContain(obtained.refreshToken);

    const refreshes = stack.as.stats.refreshSuccess;
    const refresh = await box.run(['refresh', 'ci']);
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(stack.as.stats.refreshSuccess).toBe(refreshes + 1);
    const token = (await box.run(['token', 'ci'])).stdout.trim();
    expect(token).not.toBe(obtained.accessToken);
    expect((await box.run(['test', 'ci'])).code).toBe(0);
  });

  it('list and show it like any login; clear removes it', async () => {
    const list = JSON.parse((await box.run(['list', '--json'])).stdout);
    expect(list).toMatchObject([{ name: 'ci', state: 'valid', issuer: stack.as.issuer }]);
    const show = await box.run(['show', 'ci', '--json']);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({
      name: 'ci',
      state: 'valid',
      hasRefreshToken: true,
      clientSource: 'pre-registered',
    });
    expect((await box.run(['clear', '--all', '--yes'])).code).toBe(0);
    expect(JSON.parse((await box.run(['list', '--json'])).stdout)).toEqual([]);
  });

  it('refuses an empty stdin, no stdin and a terminal, naming the flag (exit 2)', async () => {
    for (const input of ['', '  \n', undefined]) {
      const result = await box.run(['login', stack.mcp.url, '--name', 'x', '--with-token'], {
        ...(input === undefined ? {} : { input }),
      });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('--with-token read nothing from standard input');
    }
    // a real terminal on stdin: script(1) runs the CLI on a pseudo-terminal
    const command = `"${process.execPath}" "${CLI}" login ${stack.mcp.url} --name x --with-token; echo "exit=$?"`;
    const output = execFileSync('script', ['-qec', command, '/dev/null'], {
      env: box.env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(output).toContain(
      '--with-token reads the token from standard input, which is a terminal',
    );
    expect(output).toMatch(/exit=2/);
    expect((await box.run(['list', '--json'])).stdout).not.toContain('"x"');
  });

  it('refuses garbage, a DPoP token and a refresh token without --client-id, never echoing the input (exit 2)', async () => {
    const secret = 'sEcReT-value-123';
    const cases: [string, RegExp][] = [
      [`${secret} and more`, /neither one access token/],
      [`{"access_token": "${secret}",`, /not valid JSON/],
      [`{"refresh_token": "${secret}"}`, /no "access_token"/],
      [`{"access_token": "${secret}", "token_type": "DPoP"}`, /Bearer tokens only/],
      [`{"access_token": "${secret}", "expires_in": -5}`, /expires_in/],
      [`{"access_token": "${secret}", "refresh_token": "r-${secret}"}`, /--client-id/],
    ];
    for (const [input, message] of cases) {
      const result = await box.run(['login', stack.mcp.url, '--name', 'bad', '--with-token'], {
        input,
      });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
    const json = await box.run(['login', stack.mcp.url, '--with-token', '--json'], {
      input: `{"access_token": "${secret}", "token_type": "DPoP"}`,
    });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr.trim().split('\n').at(-1) ?? '')).toMatchObject({
      error: { code: 'usage', exitCode: 2 },
    });
  });

  it('refresh without a refresh token says when to log in again: at expiry, or now once expired', async () => {
    const own = await createSandbox();
    try {
      const { accessToken } = await tokens();
      const stored = (expiresIn: number) =>
        own.run(['login', stack.mcp.url, '--name', 'bare', '--with-token'], {
          input: JSON.stringify({
            access_token: accessToken,
            token_type: 'Bearer',
            expires_in: expiresIn,
          }),
        });
      expect((await stored(3600)).code).toBe(0);
      const early = await own.run(['refresh', 'bare']);
      expect(early.code).toBe(3);
      expect(early.stderr).toContain('when its token expires, log in again with `mcp-oauth login');

      expect((await stored(1)).code).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // past its one second
      const late = await own.run(['refresh', 'bare']);
      expect(late.code).toBe(3);
      expect(late.stderr).toContain('its token has expired: log in again with `mcp-oauth login');
    } finally {
      await own.close();
    }
  });
});
