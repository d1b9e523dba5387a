import { join } from 'node:path';
import { fileStore } from '@mcp-oauth/store-file';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

const TOKEN = 'cli-initial-access-token-0123456789';
const WRONG = 'cli-wrong-initial-access-token-98765';

let stack: Stack;
let box: Sandbox;

beforeAll(async () => {
  stack = await startStack({ as: { initialAccessToken: TOKEN } });
  box = await createSandbox();
});

afterAll(async () => {
  await stack?.close();
  await box?.close();
});

describe('login against an authorization server requiring an initial access token (RFC 7591 §3)', () => {
  it('fails with a clear message naming MCP_OAUTH_INITIAL_ACCESS_TOKEN when it is not set', async () => {
    const result = await box.run(['login', stack.mcp.url, '--name', 'iat']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('an initial access token may be needed');
    expect(result.stderr).toContain('MCP_OAUTH_INITIAL_ACCESS_TOKEN');
    // one way out, said whole: the token's variable right after the sentence about the token
    expect(result.stderr).toMatch(
      /an initial access token may be needed\. Set it in MCP_OAUTH_INITIAL_ACCESS_TOKEN if the authorization server requires one\./,
    );
    expect(result.stderr).toContain('[registration_failed]');
    expect(result.stderr).not.toContain('Waiting for you to approve');
    expect(stack.as.stats.registrations).toBe(0);
    expect(stack.as.stats.authorizations).toBe(0);
  });

  it('fails without showing a wrong token', async () => {
    const result = await box.run(['login', stack.mcp.url, '--name', 'iat', '--verbose'], {
      env: { MCP_OAUTH_INITIAL_ACCESS_TOKEN: WRONG },
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('the initial access token is not accepted');
    expect(result.stderr).toContain('Check MCP_OAUTH_INITIAL_ACCESS_TOKEN');
    expect(result.stderr + result.stdout).not.toContain(WRONG);
    expect(stack.as.stats.registrations).toBe(0);
  });

  it('logs in with MCP_OAUTH_INITIAL_ACCESS_TOKEN set, stores no trace of it, and the server works', async () => {
    const result = await box.run(['login', stack.mcp.url, '--name', 'iat', '--json'], {
      env: { MCP_OAUTH_INITIAL_ACCESS_TOKEN: TOKEN },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ name: 'iat', issuer: stack.as.issuer });
    expect(stack.as.stats.registrations).toBe(1);
    expect(result.stderr + result.stdout).not.toContain(TOKEN);

    const store = fileStore({ directory: join(box.dir, 'store') });
    const records = await Promise.all((await store.list()).map((key) => store.get(key)));
    expect(records.map((r) => r?.kind)).toContain('client');
    expect(JSON.stringify(records)).not.toContain(TOKEN);
    await store.close?.();

    // later commands need no token: the registration is reused
    const test = await box.run(['test', 'iat', '--json']);
    expect(test.code, test.stderr).toBe(0);
    expect(JSON.parse(test.stdout).tools.length).toBeGreaterThan(0);
  });
});
