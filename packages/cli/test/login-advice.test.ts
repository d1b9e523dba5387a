import { join } from 'node:path';
import type { StoreRecord } from '@mcp-oauth/core';
import { fileStore } from '@mcp-oauth/store-file';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

/**
 * A rejected refresh token, or tokens gone: every command tells the same command to log in
 * again, for that name and with the store flags, and that command works.
 */
let stack: Stack;
let box: Sandbox;
let login: string;
let tokensKey: string;
let tokens: StoreRecord;

beforeAll(async () => {
  stack = await startStack();
  box = await createSandbox();
  login = `mcp-oauth login ${stack.mcp.url} --name dev ${box.storeFlags}`;
  const result = await box.run(['login', stack.mcp.url, '--name', 'dev']);
  expect(result.code, result.stderr).toBe(0);
  const store = fileStore({ directory: join(box.dir, 'store') });
  [tokensKey = ''] = await store.list('tokens:');
  tokens = (await store.get(tokensKey)) as StoreRecord;
  await store.close?.();
});

afterAll(async () => {
  await stack?.close();
  await box?.close();
});

/** Due for a refresh, with a refresh token the authorization server does not know. */
async function plantRejectedRefreshToken(): Promise<void> {
  const store = fileStore({ directory: join(box.dir, 'store') });
  await store.set(tokensKey, {
    ...tokens,
    expiresAt: Date.now() - 1000,
    refreshToken: 'unknown',
  });
  await store.close?.();
}

/** What a command said: its error line, or the message of its `--json` error document. */
function said(result: { stderr: string }, json: boolean): string {
  if (!json) return result.stderr;
  const line = result.stderr.trim().split('\n').pop() ?? '';
  return (JSON.parse(line) as { error: { message: string } }).error.message;
}

const COMMANDS: [string, string[], boolean][] = [
  ['refresh', ['refresh', 'dev'], false],
  ['refresh --json', ['refresh', 'dev', '--json'], true],
  ['test', ['test', 'dev'], false],
  ['test --json', ['test', 'dev', '--json'], true],
  ['token', ['token', 'dev'], false],
  ['header', ['header', 'dev'], false],
  ['status', ['status', 'dev'], false],
];

describe('the login command every command tells', () => {
  it.each(COMMANDS)('%s: a rejected refresh token', async (_label, args, json) => {
    await plantRejectedRefreshToken();
    const result = await box.run(args);
    expect(result.code, result.stderr).toBe(3);
    const text = said(result, json);
    expect(text).toContain(login);
    expect(text).not.toMatch(/authorize again/);
  });

  it.each(COMMANDS.filter(([label]) => label !== 'status'))(
    '%s: tokens gone (not logged in)',
    async (_label, args, json) => {
      const store = fileStore({ directory: join(box.dir, 'store') });
      for (const key of await store.list('tokens:')) await store.delete(key);
      await store.close?.();
      const result = await box.run(args);
      expect(result.code, result.stderr).toBe(3);
      expect(said(result, json)).toContain(
        `Not logged in to ${stack.mcp.url}. Log in with \`${login}\`.`,
      );
    },
  );

  it('the command told logs in again', async () => {
    const result = await box.run(login.split(' ').slice(1));
    expect(result.code, result.stderr).toBe(0);
    expect((await box.run(['token', 'dev'])).code).toBe(0);
    await plantRejectedRefreshToken();
    // and `login <name>` too, with the same settings
    const again = await box.run(['login', 'dev']);
    expect(again.code, again.stderr).toBe(0);
  });
});
