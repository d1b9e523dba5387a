import { join } from 'node:path';
import { fileStore } from '@mcp-oauth/store-file';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

/** `login <name>`: again to that name's server, with what its earlier login was given. */
let stack: Stack;
let box: Sandbox;

beforeAll(async () => {
  stack = await startStack();
  box = await createSandbox();
});

afterAll(async () => {
  await stack?.close();
  await box?.close();
});

/** Deletes the stored tokens (the name stays): the server is logged out. */
async function dropTokens(): Promise<void> {
  const store = fileStore({ directory: join(box.dir, 'store') });
  for (const key of await store.list('tokens:')) await store.delete(key);
  await store.close?.();
}

const loginJson = async (args: string[]) => {
  const result = await box.run(['login', ...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { name: string; scope: string; tokenType: string };
};

describe('login <name>', () => {
  it('logs a logged-out name in again to its server with its remembered settings', async () => {
    const first = await loginJson([stack.mcp.url, '--name', 'dev', '--scope', 'mcp:read']);
    expect(first.scope.split(' ')).not.toContain('mcp:write');
    await dropTokens();
    expect(JSON.parse((await box.run(['list', '--json'])).stdout)[0].state).toBe('logged-out');

    const again = await loginJson(['dev']);
    expect(again).toMatchObject({ name: 'dev', serverUrl: stack.mcp.url });
    // the scopes of the first login, not the server's default ones
    expect(again.scope.split(' ')).toContain('mcp:read');
    expect(again.scope.split(' ')).not.toContain('mcp:write');
    expect((await box.run(['token', 'dev'])).code).toBe(0);
  });

  it('flags given replace the settings they set, and keep the others', async () => {
    const bound = await loginJson(['dev', '--dpop', 'always']);
    expect(bound.tokenType.toLowerCase()).toBe('dpop');
    expect(bound.scope.split(' ')).not.toContain('mcp:write');
    // and are kept in turn: the next login of the name binds its tokens too
    const next = await loginJson(['dev']);
    expect(next.tokenType.toLowerCase()).toBe('dpop');
    expect(next.scope.split(' ')).not.toContain('mcp:write');
    const bearer = await loginJson(['dev', '--dpop', 'off', '--scope', 'mcp:read', 'mcp:write']);
    expect(bearer.tokenType.toLowerCase()).toBe('bearer');
    expect(bearer.scope.split(' ')).toContain('mcp:write');
  });

  it('an unknown name: a usage error saying how to log in with a URL, and the name near it', async () => {
    const result = await box.run(['login', 'dve']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('No server is named "dve"');
    expect(result.stderr).toContain(`Did you mean "dev" (mcp-oauth login dev ${box.storeFlags})?`);
    expect(result.stderr).toContain(`mcp-oauth login <url> --name dve ${box.storeFlags}`);
    expect(result.stderr).not.toContain('not a valid server URL');

    const far = await box.run(['login', 'production']);
    expect(far.code, far.stderr).toBe(2);
    expect(far.stderr).not.toContain('Did you mean');
  });

  it('--name with a name is refused (it would rename nothing)', async () => {
    const result = await box.run(['login', 'dev', '--name', 'other']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('and "dev" is already a name');
    expect(JSON.parse((await box.run(['list', '--json'])).stdout)).toHaveLength(1);
  });
});
