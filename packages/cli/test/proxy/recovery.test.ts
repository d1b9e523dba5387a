import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../helpers.ts';
import { connectThroughBridge, initializeLine, textOf } from './bridge-client.ts';
import { revokeStoredRefreshToken, storedTokens, untilRefreshDue } from './store-tokens.ts';

let stack: Stack;
let box: Sandbox;

beforeAll(async () => {
  // short-lived access tokens: the bridge must refresh within the test; no device flow (as
  // oidc-provider's own default), so that a bridge without a browser has no way to log in
  // (test/proxy/device-login.test.ts has the device flow)
  stack = await startStack({ as: { accessTokenTtlSeconds: 3, deviceFlow: false } });
  box = await createSandbox();
});

afterAll(async () => {
  await stack?.close();
  await box?.close();
});

type RpcError = { code?: number; message?: string; data?: { command?: string } };

describe('proxy: recovery without restarting the host', () => {
  it('with no way to log in, answers with the login command, then uses the tokens of that login', async () => {
    const login = await box.run(['login', stack.mcp.url, '--name', 'gone']);
    expect(login.code, login.stderr).toBe(0);
    // as a host starts it: no browser (BROWSER=none), no terminal (pipes)
    const host = await connectThroughBridge(box, ['gone'], { env: { BROWSER: 'none' } });
    try {
      expect(textOf(await host.client.callTool({ name: 'add', arguments: { a: 1, b: 2 } }))).toBe(
        '3',
      );

      const revoked = await revokeStoredRefreshToken(box, stack.as);
      await untilRefreshDue(revoked);
      const failure = await host.client.callTool({ name: 'add', arguments: { a: 1, b: 2 } }).then(
        () => undefined,
        (error: unknown) => error as RpcError,
      );
      expect(failure?.code).toBe(-32001);
      const command = `mcp-oauth login ${stack.mcp.url} --name gone ${box.storeFlags}`;
      expect(failure?.message).toContain(command);
      expect(failure?.data?.command).toBe(command);
      expect(stack.as.stats.invalidGrant).toBe(1);

      // the person runs the command in a terminal; the running bridge picks the tokens up
      const again = await box.run(command.split(' ').slice(1));
      expect(again.code, again.stderr).toBe(0);
      expect(textOf(await host.client.callTool({ name: 'add', arguments: { a: 2, b: 2 } }))).toBe(
        '4',
      );
    } finally {
      await host.close();
    }
    expect(host.stderr()).not.toMatch(/eyJ/); // no JWT in the log
    if (process.env.SHOW_BRIDGE_LOG) console.log(host.stderr());
  });

  it('step-up (403 insufficient_scope) with no way to log in: the error names the scope; then picks up that login', async () => {
    const stepBox = await createSandbox();
    try {
      const login = await stepBox.run(['login', stack.mcp.url, '--name', 'scoped']);
      expect(login.code, login.stderr).toBe(0);
      const host = await connectThroughBridge(stepBox, ['scoped'], { env: { BROWSER: 'none' } });
      try {
        const failure = await host.client.callTool({ name: 'admin_reset', arguments: {} }).then(
          () => undefined,
          (error: unknown) => error as RpcError & { data?: { scope?: string } },
        );
        expect(failure?.code).toBe(-32001);
        expect(failure?.data?.scope?.split(' ')).toContain('mcp:admin');
        const command = failure?.data?.command ?? '';
        expect(command).toMatch(
          new RegExp(
            `^mcp-oauth login ${stack.mcp.url} --name scoped ${stepBox.storeFlags} --scope .*mcp:admin`,
          ),
        );
        expect(failure?.message).toContain(command);

        const again = await stepBox.run(command.split(' ').slice(1));
        expect(again.code, again.stderr).toBe(0);
        expect(textOf(await host.client.callTool({ name: 'admin_reset', arguments: {} }))).toBe(
          'reset',
        );
      } finally {
        await host.close();
      }
    } finally {
      await stepBox.close();
    }
  });

  it('step-up with a browser: the bridge asks for the scope itself and answers the request', async () => {
    const stepBox = await createSandbox();
    try {
      const login = await stepBox.run(['login', stack.mcp.url, '--name', 'scoped']);
      expect(login.code, login.stderr).toBe(0);
      const host = await connectThroughBridge(stepBox, ['scoped']);
      try {
        const before = stack.as.stats.authorizations;
        expect(textOf(await host.client.callTool({ name: 'admin_reset', arguments: {} }))).toBe(
          'reset',
        );
        expect(stack.as.stats.authorizations).toBe(before + 1);
        expect(String((await storedTokens(stepBox))?.scope).split(' ')).toContain('mcp:admin');
      } finally {
        await host.close();
      }
    } finally {
      await stepBox.close();
    }
  });

  it('a server never logged in, with no way to log in: the login command, carrying the store flags', async () => {
    const args = [stack.mcp.url, '--namespace', 'fresh'];
    const host = await connectThroughBridge(box, args, {
      env: { BROWSER: 'none' },
      connect: false,
    });
    let command: string | undefined;
    try {
      // the host's initialize is the first request that needs the tokens
      const failure = await host.client.connect(host.transport).then(
        () => undefined,
        (error: unknown) => error as RpcError,
      );
      expect(failure?.code).toBe(-32001);
      expect(failure?.message).toContain('There are no usable tokens');
      command = failure?.data?.command;
      expect(command).toBe(`mcp-oauth login ${stack.mcp.url} ${box.storeFlags} --namespace fresh`);
    } finally {
      await host.close();
    }
    // run as told, from another terminal: the bridge the host starts again finds the tokens
    const login = await box.run((command ?? '').split(' ').slice(1));
    expect(login.code, login.stderr).toBe(0);
    const restarted = await connectThroughBridge(box, args, { env: { BROWSER: 'none' } });
    try {
      expect(
        textOf(await restarted.client.callTool({ name: 'add', arguments: { a: 2, b: 5 } })),
      ).toBe('7');
    } finally {
      await restarted.close();
    }
  });

  it('a name nobody logged in: every request is answered with the login command, and the bridge exits 3 when the host closes it', async () => {
    const initialize = initializeLine();
    const result = await box.run(['proxy', 'nobody', '--namespace', 'team'], {
      input: initialize,
      env: { BROWSER: 'none' },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('No server is named "nobody"');
    const answer = JSON.parse(result.stdout.trim().split('\n')[0] ?? '');
    expect(answer).toMatchObject({
      id: 1,
      error: {
        code: -32001,
        data: {
          reason: 'unknown_name',
          command: `mcp-oauth login <url> --name nobody ${box.storeFlags} --namespace team`,
        },
      },
    });
    expect(answer.error.message).toContain('No server is named "nobody"');
  });

  it('a store that cannot be opened: every request is answered with why (-32003), and the bridge exits 5', async () => {
    const request = (id: number) =>
      `${JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' })}\n`;
    // no session bus here: the keychain cannot be reached
    const result = await box.run(['proxy', 'gone', '--store', 'keychain'], {
      input: request(1) + request(2),
      env: { BROWSER: 'none', DBUS_SESSION_BUS_ADDRESS: '' },
    });
    expect(result.code).toBe(5);
    const answers = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(answers.map((a) => [a.id, a.error?.code])).toEqual([
      [1, -32003],
      [2, -32003],
    ]);
    expect(answers[0].error.message).toContain('--store file');
    expect(result.stderr).toContain('--store file');
  });

  it('with a browser, logs in again by itself and answers the request', async () => {
    const opened = join(box.dir, 'opened.log');
    const browser = join(box.dir, 'counting-browser.sh');
    await writeFile(
      browser,
      `#!/bin/sh\necho "$1" >> ${JSON.stringify(opened)}\nexec ${JSON.stringify(box.browser)} "$1"\n`,
    );
    await chmod(browser, 0o755);
    const host = await connectThroughBridge(box, ['gone'], { env: { BROWSER: browser } });
    try {
      expect(textOf(await host.client.callTool({ name: 'add', arguments: { a: 1, b: 1 } }))).toBe(
        '2',
      );
      const before = stack.as.stats.authorizations;
      const revoked = await revokeStoredRefreshToken(box, stack.as);
      await untilRefreshDue(revoked);
      expect(textOf(await host.client.callTool({ name: 'add', arguments: { a: 3, b: 3 } }))).toBe(
        '6',
      );
      expect(stack.as.stats.authorizations).toBe(before + 1);
      expect((await readFile(opened, 'utf8')).trim().split('\n')).toHaveLength(1);
      // the login's own lines are the bridge's, with its prefix like every other line
      expect(host.stderr()).toMatch(
        /^\[mcp-oauth proxy \d+\] Waiting for you to approve in the browser…$/m,
      );
      for (const line of host.stderr().trim().split('\n'))
        expect(line).toMatch(/^\[mcp-oauth proxy \d+\] /);
      expect((await storedTokens(box))?.refreshToken).not.toBe(revoked.refreshToken);
    } finally {
      await host.close();
    }
  });
});
