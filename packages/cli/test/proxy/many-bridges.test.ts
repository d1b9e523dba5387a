import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../helpers.ts';
import { type BridgeHost, connectThroughBridge, textOf } from './bridge-client.ts';

const TTL_SECONDS = 3;
/** Core refreshes halfway through a token's life (its skew is capped at half the life). */
const REFRESH_SPACING_MS = (TTL_SECONDS * 1000) / 2;

let stack: Stack;

beforeAll(async () => {
  // refresh token rotation is on (the default): a reused refresh token would revoke the grant
  stack = await startStack({ as: { accessTokenTtlSeconds: TTL_SECONDS } });
});

afterAll(async () => {
  await stack?.close();
});

/** A BROWSER that notes each URL it is asked to open, then completes consent. */
async function countingBrowser(
  box: Sandbox,
): Promise<{ env: NodeJS.ProcessEnv; opened(): Promise<number> }> {
  const log = join(box.dir, 'opened.log');
  const script = join(box.dir, 'counting-browser.sh');
  await writeFile(
    script,
    `#!/bin/sh\necho "$1" >> ${JSON.stringify(log)}\nexec ${JSON.stringify(box.browser)} "$1"\n`,
  );
  await chmod(script, 0o755);
  return {
    env: { BROWSER: script },
    opened: async () =>
      (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean).length,
  };
}

describe('proxy: many bridges sharing one file store', () => {
  it('8 bridges through several expiries: one refresh per expiry window, no invalid_grant', async () => {
    const box = await createSandbox();
    const hosts: BridgeHost[] = [];
    try {
      const login = await box.run(['login', stack.mcp.url, '--name', 'shared']);
      expect(login.code, login.stderr).toBe(0);
      stack.as.resetStats();
      const startedAt = Date.now();
      hosts.push(
        ...(await Promise.all(
          Array.from({ length: 8 }, () => connectThroughBridge(box, ['shared'])),
        )),
      );
      const until = Date.now() + 4 * REFRESH_SPACING_MS;
      const calls = await Promise.all(
        hosts.map(async (host, h) => {
          let ok = 0;
          for (let i = 0; Date.now() < until; i++) {
            const result = await host.client.callTool({ name: 'add', arguments: { a: h, b: i } });
            expect(textOf(result)).toBe(String(h + i));
            ok += 1;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          return ok;
        }),
      );
      const elapsedMs = Date.now() - startedAt;
      const { refreshSuccess, invalidGrant, tokenRequests } = stack.as.stats;
      if (process.env.SHOW_BRIDGE_LOG)
        console.log({ refreshSuccess, invalidGrant, elapsedMs, calls });
      expect(calls.every((n) => n > 0)).toBe(true);
      expect(invalidGrant).toBe(0);
      expect(refreshSuccess).toBeGreaterThanOrEqual(2);
      // refreshes start at least REFRESH_SPACING_MS apart, however many bridges need one
      expect(refreshSuccess).toBeLessThanOrEqual(Math.floor(elapsedMs / REFRESH_SPACING_MS) + 1);
      expect(tokenRequests.refresh_token).toBe(refreshSuccess);
    } finally {
      await Promise.all(hosts.map((host) => host.close()));
      await box.close();
    }
  });

  it('4 bridges started at once with no tokens open one browser; the others wait for its login', async () => {
    const box = await createSandbox();
    const browser = await countingBrowser(box);
    const hosts: BridgeHost[] = [];
    try {
      stack.as.resetStats();
      hosts.push(
        ...(await Promise.all(
          Array.from({ length: 4 }, () =>
            connectThroughBridge(box, [stack.mcp.url], { env: browser.env }),
          ),
        )),
      );
      const lists = await Promise.all(hosts.map((host) => host.client.listTools()));
      expect(lists.every((l) => l.tools.some((t) => t.name === 'add'))).toBe(true);
      expect(await browser.opened()).toBe(1);
      expect(stack.as.stats.authorizations).toBe(1);
      expect(stack.as.stats.registrations).toBe(1);
      // the server reached by URL is remembered under the name login would give it
      const list = await box.run(['list', '--json']);
      expect(JSON.parse(list.stdout)).toMatchObject([
        { name: `localhost-${new URL(stack.mcp.url).port}`, state: 'valid' },
      ]);
    } finally {
      await Promise.all(hosts.map((host) => host.close()));
      await box.close();
    }
  });
});
