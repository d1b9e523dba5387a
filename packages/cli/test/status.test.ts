import { join } from 'node:path';
import type { StoreRecord } from '@mcp-oauth/core';
import { fileStore } from '@mcp-oauth/store-file';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

/** `mcp-oauth status`: one authenticated MCP request per server, against real servers. */
let stack: Stack;
let gone: Stack;
let box: Sandbox;

beforeAll(async () => {
  stack = await startStack();
  gone = await startStack();
  box = await createSandbox();
  for (const [url, name] of [
    [stack.mcp.url, 'demo'],
    [gone.mcp.url, 'gone'],
  ] as const) {
    const login = await box.run(['login', url, '--name', name]);
    expect(login.code, login.stderr).toBe(0);
  }
  await gone.close(); // its MCP server no longer answers
});

afterAll(async () => {
  await stack?.close();
  await box?.close();
});

/** Rewrites the tokens record of the demo server (the store the sandbox's CLI uses). */
async function editDemoTokens(change: (record: StoreRecord) => StoreRecord): Promise<void> {
  const store = fileStore({ directory: join(box.dir, 'store') });
  const keys = await store.list('tokens:');
  const key = keys.find((k) => k.endsWith(` ${stack.mcp.url}`)) ?? keys[0];
  await store.set(key as string, change((await store.get(key as string)) as StoreRecord));
  await store.close?.();
}

describe('mcp-oauth status', () => {
  it('ok for a server whose tokens work', async () => {
    const result = await box.run(['status', 'demo']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^demo\s+ok\s+http:\/\/127\.0\.0\.1:\d+\/mcp\n$/);
  });

  it('unreachable (exit 6) for a server that does not answer; one line per server', async () => {
    const result = await box.run(['status']);
    expect(result.code, result.stderr).toBe(6);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.startsWith('demo'))).toMatch(/^demo\s+ok\s/);
    expect(lines.find((l) => l.startsWith('gone'))).toMatch(/^gone\s+unreachable\s/);
    expect(result.stderr).toContain('gone:');
  });

  it('--json: an array of objects with schemaVersion', async () => {
    const result = await box.run(['status', '--json']);
    expect(result.code).toBe(6);
    const entries = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(entries).toEqual(
      expect.arrayContaining([
        {
          schemaVersion: 1,
          name: 'demo',
          serverUrl: stack.mcp.url,
          status: 'ok',
          exitCode: 0,
          httpStatus: 200,
          code: null,
          message: null,
        },
        expect.objectContaining({
          schemaVersion: 1,
          name: 'gone',
          status: 'unreachable',
          exitCode: 6,
          code: 'network_error',
        }),
      ]),
    );
  });

  it('checks with the server: a token it refuses is refreshed, then ok', async () => {
    await editDemoTokens((record) => ({ ...record, accessToken: 'not-a-token-it-issued' }));
    const result = await box.run(['status', 'demo']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^demo\s+ok\s/);
  });

  it('login needed (exit 3) when the refresh token is rejected', async () => {
    await editDemoTokens((record) => ({
      ...record,
      expiresAt: Date.now() - 1000,
      refreshToken: 'unknown',
    }));
    const result = await box.run(['status', '--json']);
    expect(result.code, result.stderr).toBe(3);
    const demo = (JSON.parse(result.stdout) as { name: string }[]).find((e) => e.name === 'demo');
    expect(demo).toMatchObject({ status: 'login-needed', exitCode: 3 });
    expect(JSON.stringify(demo)).toContain(`mcp-oauth login ${stack.mcp.url} --name demo`);
  });

  it('exit 3 for an unknown name', async () => {
    expect((await box.run(['status', 'nobody'])).code).toBe(3);
  });
});
