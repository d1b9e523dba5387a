import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { StoreRecord } from '@mcp-oauth/core';
import { fileStore } from '@mcp-oauth/store-file';
import { completeAuthorization, type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, createSandbox, type Sandbox } from './helpers.ts';

/** What the terminal is told while and after logging in: rejected callbacks, scopes not granted. */
let stack: Stack;
let box: Sandbox;

beforeAll(async () => {
  // offers no mcp:write: asked for, it is dropped from the grant
  stack = await startStack({ as: { scopes: ['openid', 'offline_access', 'mcp:read'] } });
  box = await createSandbox();
});

afterAll(async () => {
  await stack?.close();
  await box?.close();
});

/** The same callback URL with another `state`: what an old browser tab sends. */
function withState(callback: string, state: string): string {
  const url = new URL(callback);
  url.searchParams.set('state', state);
  return url.href;
}

describe('a callback with a mismatched state', () => {
  it('is reported at once; the right one is still accepted', async () => {
    const login = box.start(['login', stack.mcp.url, '--name', 'demo', '--no-browser']);
    const [, authorizationUrl] = await login.waitForStderr(/\n {2}(http\S+)\n/);
    const callback = await completeAuthorization(authorizationUrl as string);
    const stale = await fetch(withState(callback, 'from-an-old-tab'));
    expect(stale.status).toBe(400);
    // said on the terminal right away, not after the timeout
    await login.waitForStderr(/Rejected a callback with a mismatched state/, 5_000);
    expect(login.child.exitCode).toBeNull();
    expect((await fetch(callback)).status).toBe(200);
    const result = await login.done;
    expect(result.code, result.stderr).toBe(0);
    // --no-browser: the URL to open first, then the wait for the approval
    const url = result.stderr.indexOf('Open this URL in a browser');
    expect(url).toBeGreaterThanOrEqual(0);
    expect(result.stderr.indexOf('Waiting for you to approve in the browser')).toBeGreaterThan(url);
  });

  it('is named by the timeout error', async () => {
    const login = box.start([
      'login',
      stack.mcp.url,
      '--name',
      'demo',
      '--no-browser',
      '--timeout',
      '3',
    ]);
    const [, authorizationUrl] = await login.waitForStderr(/\n {2}(http\S+)\n/);
    const callback = await completeAuthorization(authorizationUrl as string);
    await fetch(withState(callback, 'from-an-old-tab'));
    const result = await login.done;
    expect(result.code, result.stderr).toBe(6);
    expect(result.stderr).toMatch(
      /No authorization response reached .* within 3 s\. One callback was rejected for a mismatched state/,
    );
  });
});

describe('a grant narrower than asked', () => {
  it('names the scopes not granted, on stderr and in --json', async () => {
    const result = await box.run([
      'login',
      stack.mcp.url,
      '--name',
      'demo',
      '--scope',
      'mcp:read',
      'mcp:write',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.scope).toBe('mcp:read');
    expect(out.scopesNotGranted).toEqual(['mcp:write']);
    expect(result.stderr).toContain(
      'The authorization server did not grant mcp:write (asked for "mcp:read mcp:write offline_access", granted "mcp:read")',
    );
  });

  it('says nothing when everything asked for was granted', async () => {
    const result = await box.run([
      'login',
      stack.mcp.url,
      '--name',
      'demo',
      '--scope',
      'mcp:read',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).scopesNotGranted).toEqual([]);
    expect(result.stderr).not.toContain('did not grant');
  });
});

describe('a rejected refresh token', () => {
  it('says so, and how to log in again', async () => {
    const store = fileStore({ directory: join(box.dir, 'store') });
    const [key] = await store.list('tokens:');
    const record = (await store.get(key as string)) as StoreRecord;
    // due for a refresh, with a refresh token the authorization server does not know
    await store.set(key as string, {
      ...record,
      expiresAt: Date.now() - 1000,
      refreshToken: 'unknown',
    });
    await store.close?.();
    const result = await box.run(['token', 'demo']);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `The refresh token for demo was rejected; log in again with \`mcp-oauth login ${stack.mcp.url} --name demo ${box.storeFlags}\`.`,
    );
    expect(result.stderr).not.toMatch(/interaction|@mcp-oauth\/loopback/);
  });
});

describe('Ctrl-C while the login waits', () => {
  it('says it was abandoned (in --json too), ends at once with exit 130, and leaves the tokens held as they were', async () => {
    const tokensHeld = async () => {
      const store = fileStore({ directory: join(box.dir, 'store') });
      try {
        const [key] = await store.list('tokens:');
        return key ? await store.get(key) : undefined;
      } finally {
        await store.close?.();
      }
    };
    const first = await box.run(['login', stack.mcp.url, '--name', 'demo']);
    expect(first.code, first.stderr).toBe(0);
    const before = await tokensHeld();
    expect(before).toBeDefined();
    for (const json of [false, true]) {
      const login = box.start([
        'login',
        stack.mcp.url,
        '--name',
        'demo',
        '--no-browser',
        ...(json ? ['--json'] : []),
      ]);
      await login.waitForStderr(/Waiting for you to approve/);
      login.child.kill('SIGINT');
      const result = await login.done;
      expect(result.code, result.stderr).toBe(130);
      if (json) {
        const line = result.stderr.trim().split('\n').pop() ?? '';
        expect(JSON.parse(line).error).toMatchObject({ code: 'interrupted', exitCode: 130 });
      } else {
        expect(result.stderr).toContain(
          'Interrupted: the login was abandoned, and nothing was stored (tokens held before are as they were).',
        );
      }
    }
    expect(await tokensHeld()).toEqual(before);
  });

  it('on a terminal too, where a spinner runs: the cursor comes back and the message is said', async () => {
    // `script` (util-linux) runs the login on a pseudo-terminal; ETX there is Ctrl-C
    const login = spawn(
      'script',
      [
        '-qfec',
        `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} login ${JSON.stringify(stack.mcp.url)} --name demo --no-browser`,
        '/dev/null',
      ],
      { env: { ...box.env, TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let terminal = '';
    login.stdout.on('data', (chunk: Buffer) => {
      terminal += chunk.toString();
    });
    const deadline = Date.now() + 15_000;
    while (!terminal.includes('Waiting for you to approve')) {
      if (Date.now() > deadline) throw new Error(`the login never waited:\n${terminal}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    login.stdin.write('\x03');
    const code = await new Promise((resolve) => login.on('close', resolve));
    expect(code).toBe(130);
    expect(terminal).toContain('Interrupted: the login was abandoned');
    expect(terminal.lastIndexOf('\u001b[?25h')).toBeGreaterThan(terminal.lastIndexOf('Waiting'));
  });
});
