// A bridge that must log in again with no browser and no terminal, where the authorization
// server offers the device flow (RFC 8628): the host's request is answered with the code to
// enter, and once the person approves it, the running bridge uses that login.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileStore } from '@mcp-oauth/store-file';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, createSandbox, type Sandbox } from '../helpers.ts';
import {
  bridgePid,
  connectThroughBridge,
  initializeLine,
  textOf,
  untilExited,
} from './bridge-client.ts';
import { revokeStoredRefreshToken, storedTokens, untilRefreshDue } from './store-tokens.ts';

let stack: Stack;
let box: Sandbox;

beforeAll(async () => {
  // the device flow on (the testing stack's default); short-lived access tokens
  stack = await startStack({ as: { accessTokenTtlSeconds: 3 } });
  box = await createSandbox();
});

afterAll(async () => {
  await stack?.close();
  await box?.close();
});

type DeviceAnswer = {
  code?: number;
  message?: string;
  data?: {
    reason?: string;
    verificationUri?: string;
    verificationUriComplete?: string;
    userCode?: string;
    expiresAt?: string;
    command?: string;
  };
};

/** Resolves once `condition` holds, checked every 100 ms; fails after 15 s. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether the sandbox's store holds a record whose key starts with `prefix`. */
async function storeHas(box: Sandbox, prefix: string): Promise<boolean> {
  const store = fileStore({ directory: join(box.dir, 'store') });
  try {
    return (await store.list(prefix)).length > 0;
  } finally {
    await store.close?.();
  }
}

describe('proxy: a login by device code, answered to the host', () => {
  it('answers the request with the code, once; after approval, the running bridge uses that login', async () => {
    const login = await box.run(['login', stack.mcp.url, '--name', 'dev']);
    expect(login.code, login.stderr).toBe(0);
    // as a host starts it: no browser (BROWSER=none), no terminal (pipes)
    const host = await connectThroughBridge(box, ['dev'], { env: { BROWSER: 'none' } });
    const call = (a: number, b: number) =>
      host.client.callTool({ name: 'add', arguments: { a, b } }).then(
        (result) => ({ result, error: undefined }),
        (error: unknown) => ({ result: undefined, error: error as DeviceAnswer }),
      );
    try {
      expect(textOf((await call(1, 2)).result)).toBe('3');
      const revoked = await revokeStoredRefreshToken(box, stack.as);
      await untilRefreshDue(revoked);

      const { error } = await call(1, 2);
      expect(error?.code).toBe(-32001);
      const userCode = String(error?.data?.userCode);
      expect(error?.data).toMatchObject({
        reason: 'device_code',
        verificationUri: stack.as.deviceVerificationUri,
        userCode: expect.stringMatching(/\S/),
        command: `mcp-oauth login ${stack.mcp.url} --name dev ${box.storeFlags}`,
      });
      expect(Date.parse(String(error?.data?.expiresAt))).toBeGreaterThan(Date.now());
      expect(error?.message).toContain(
        `open ${stack.as.deviceVerificationUri} and enter the code ${userCode}`,
      );
      // on stderr too, with the bridge's prefix (and in the --debug log, logger's own test)
      expect(host.stderr()).toMatch(
        new RegExp(`^\\[mcp-oauth proxy \\d+\\] and enter the code: ${userCode}$`, 'm'),
      );

      // a request while the code waits: the same code, no second device authorization
      const again = await call(2, 2);
      expect(again.error?.data?.userCode).toBe(userCode);
      expect(stack.as.stats.deviceAuthorizations).toBe(1);

      // the person enters the code; the bridge's polling picks up the tokens
      await stack.as.approveDevice(userCode);
      await untilLoggedIn(host);
      expect(textOf((await call(3, 4)).result)).toBe('7');
      expect(stack.as.stats.deviceAuthorizations).toBe(1);
      expect((await storedTokens(box))?.refreshToken).not.toBe(revoked.refreshToken);
    } finally {
      await host.close();
    }
    expect(host.stderr()).toMatch(/\] logged in$/m);
    expect(host.stderr()).not.toMatch(/eyJ/); // no JWT in the log
    if (process.env.SHOW_BRIDGE_LOG) console.log(host.stderr());
  });

  it('a login in a terminal while the code waits: the next request uses it, no code asked', async () => {
    const other = await createSandbox();
    try {
      expect((await other.run(['login', stack.mcp.url, '--name', 'other'])).code).toBe(0);
      const host = await connectThroughBridge(other, ['other'], { env: { BROWSER: 'none' } });
      try {
        const revoked = await revokeStoredRefreshToken(other, stack.as);
        await untilRefreshDue(revoked);
        const failure = await host.client.callTool({ name: 'add', arguments: { a: 1, b: 1 } }).then(
          () => undefined,
          (error: unknown) => error as DeviceAnswer,
        );
        expect(failure?.data?.reason).toBe('device_code');
        // the command the answer names, run in a terminal (with a browser there)
        const command = String(failure?.data?.command);
        const terminal = await other.run(command.split(' ').slice(1));
        expect(terminal.code, terminal.stderr).toBe(0);
        expect(textOf(await host.client.callTool({ name: 'add', arguments: { a: 5, b: 5 } }))).toBe(
          '10',
        );
        // the bridge's device login ends: it stops polling, says why, and drops the shared code
        await until(() => host.stderr().includes('the device code is no longer needed'));
        expect(host.stderr()).not.toMatch(/did not complete/);
        expect(await storeHas(other, 'proxy-device:')).toBe(false);
      } finally {
        await host.close();
      }
    } finally {
      await other.close();
    }
  });

  it('a code another bridge still waits on is not shown once a login elsewhere holds the tokens wanted', async () => {
    const shared = await createSandbox();
    try {
      expect((await shared.run(['login', stack.mcp.url, '--name', 'late'])).code).toBe(0);
      const [first, second] = await Promise.all(
        [0, 1].map(() => connectThroughBridge(shared, ['late'], { env: { BROWSER: 'none' } })),
      );
      if (!first || !second) throw new Error('two bridges expected');
      try {
        const revoked = await revokeStoredRefreshToken(shared, stack.as);
        await untilRefreshDue(revoked);
        // the first bridge waits on a device code (and holds the login's lock meanwhile)
        const waiting = await first.client
          .callTool({ name: 'add', arguments: { a: 1, b: 1 } })
          .then(
            () => undefined,
            (error: unknown) => error as DeviceAnswer,
          );
        expect(waiting?.data?.reason).toBe('device_code');
        // the person logs in in a terminal instead, with the admin scope too
        const terminal = await shared.run([
          'login',
          stack.mcp.url,
          '--name',
          'late',
          '--scope',
          'mcp:read',
          'mcp:write',
          'mcp:admin',
        ]);
        expect(terminal.code, terminal.stderr).toBe(0);
        // the second bridge's step-up finds those tokens (core reads the store before asking
        // for a login), not the code the first bridge still waits on
        expect(textOf(await second.client.callTool({ name: 'admin_reset', arguments: {} }))).toBe(
          'reset',
        );
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    } finally {
      await shared.close();
    }
  });

  it('two bridges on one store: one code, shown to both hosts; both go on once it is approved', async () => {
    const shared = await createSandbox();
    try {
      expect((await shared.run(['login', stack.mcp.url, '--name', 'two'])).code).toBe(0);
      const hosts = await Promise.all(
        [0, 1].map(() => connectThroughBridge(shared, ['two'], { env: { BROWSER: 'none' } })),
      );
      const add = (host: (typeof hosts)[number], a: number) =>
        host.client.callTool({ name: 'add', arguments: { a, b: 1 } }).then(
          (result) => ({ result, error: undefined }),
          (error: unknown) => ({ result: undefined, error: error as DeviceAnswer }),
        );
      try {
        const before = stack.as.stats.deviceAuthorizations;
        const revoked = await revokeStoredRefreshToken(shared, stack.as);
        await untilRefreshDue(revoked);
        const first = await add(hosts[0] as (typeof hosts)[number], 1);
        expect(first.error?.data?.reason).toBe('device_code');
        // the other bridge answers its host with the same code, without waiting for the login
        const second = await add(hosts[1] as (typeof hosts)[number], 2);
        expect(second.error?.data?.reason).toBe('device_code');
        expect(second.error?.data?.userCode).toBe(first.error?.data?.userCode);
        expect(stack.as.stats.deviceAuthorizations).toBe(before + 1);

        await stack.as.approveDevice(String(first.error?.data?.userCode));
        await untilLoggedIn(hosts[0] as (typeof hosts)[number]);
        expect(textOf((await add(hosts[0] as (typeof hosts)[number], 3)).result)).toBe('4');
        expect(textOf((await add(hosts[1] as (typeof hosts)[number], 4)).result)).toBe('5');
        expect(stack.as.stats.deviceAuthorizations).toBe(before + 1);
      } finally {
        await Promise.all(hosts.map((host) => host.close()));
      }
    } finally {
      await shared.close();
    }
  });

  it('step-up (403 insufficient_scope): the code is for the wider scope; after approval the call goes through', async () => {
    const stepBox = await createSandbox();
    try {
      const login = await stepBox.run(['login', stack.mcp.url, '--name', 'scoped']);
      expect(login.code, login.stderr).toBe(0);
      const host = await connectThroughBridge(stepBox, ['scoped'], { env: { BROWSER: 'none' } });
      const reset = () =>
        host.client.callTool({ name: 'admin_reset', arguments: {} }).then(
          (result) => ({ result, error: undefined }),
          (error: unknown) => ({ result: undefined, error: error as DeviceAnswer }),
        );
      try {
        const before = stack.as.stats.deviceAuthorizations;
        const { error } = await reset();
        expect(error?.data?.reason).toBe('device_code');
        const userCode = String(error?.data?.userCode);
        await stack.as.approveDevice(userCode);
        await untilLoggedIn(host);
        expect(textOf((await reset()).result)).toBe('reset');
        expect(stack.as.stats.deviceAuthorizations).toBe(before + 1);
        expect(String((await storedTokens(stepBox))?.scope).split(' ')).toContain('mcp:admin');
      } finally {
        await host.close();
      }
    } finally {
      await stepBox.close();
    }
  });

  it('a request that opens the session (initialize) gets the login command, not a code the closing host would lose', async () => {
    const fresh = await createSandbox();
    const before = stack.as.stats.deviceAuthorizations;
    try {
      const host = await connectThroughBridge(fresh, [stack.mcp.url], {
        env: { BROWSER: 'none' },
        connect: false,
      });
      const failure = await host.client.connect(host.transport).then(
        () => undefined,
        (error: unknown) => error as DeviceAnswer,
      );
      expect(failure?.code).toBe(-32001);
      expect(failure?.message).toContain(`mcp-oauth login ${stack.mcp.url}`);
      expect(failure?.message).toContain('This bridge cannot open a login itself');
      // no device code for a host that closes the bridge on the error
      expect(stack.as.stats.deviceAuthorizations).toBe(before);
      await host.close();
      // the SDK closed the bridge on the failed connect: its folder goes once the bridge is gone
      await untilExited(bridgePid(host));
    } finally {
      await fresh.close();
    }
  });
});

describe('proxy: a device login on the terminal a bridge runs in', () => {
  it('initialize waits while the code is shown on the terminal, then the session opens', async () => {
    const fresh = await createSandbox();
    const input = join(fresh.dir, 'host-to-bridge');
    const output = join(fresh.dir, 'bridge-to-host');
    try {
      const fifos = spawn('mkfifo', [input, output]);
      await new Promise((resolve) => fifos.on('close', resolve));
      // `script` (util-linux) gives the bridge a terminal for its stderr only: stdin and stdout
      // stay the host's pipes (FIFOs here), as a host run in a terminal starts it
      const bridge = spawn(
        'script',
        [
          '-qfec',
          `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} proxy ${JSON.stringify(stack.mcp.url)} < ${JSON.stringify(input)} > ${JSON.stringify(output)}`,
          '/dev/null',
        ],
        { env: { ...fresh.env, BROWSER: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let terminal = '';
      bridge.stdout.on('data', (chunk: Buffer) => {
        terminal += chunk.toString();
      });
      const host = createWriteStream(input);
      const answers = createInterface({ input: createReadStream(output) })[Symbol.asyncIterator]();
      host.write(initializeLine());
      const deadline = Date.now() + 15_000;
      let userCode: string | undefined;
      while (!userCode) {
        userCode = terminal.match(/and enter the code: (\S+)/)?.[1];
        if (Date.now() > deadline) throw new Error(`no device code on the terminal:\n${terminal}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await stack.as.approveDevice(userCode);
      const answer = JSON.parse(String((await answers.next()).value));
      expect(answer).toMatchObject({ id: 1, result: { serverInfo: expect.any(Object) } });
      host.end();
      const code = await new Promise((resolve) => bridge.on('close', resolve));
      expect(code).toBe(0);
      expect(terminal).toMatch(/\] logged in\r?$/m);
    } finally {
      await fresh.close();
    }
  });
});

/** Waits (bounded) until the bridge's log says its login ended with tokens. */
async function untilLoggedIn(host: { stderr(): string }): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!/\] logged in$/m.test(host.stderr())) {
    if (Date.now() > deadline) throw new Error(`the bridge never logged in:\n${host.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
