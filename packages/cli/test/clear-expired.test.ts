import {
  type McpTestServer,
  obtainTokens,
  type Stack,
  startMcpServer,
  startStack,
} from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

/**
 * `clear --expired` on real tokens of a real authorization server, given with
 * `login --with-token`: an `expires_in` of a millisecond makes the stored access token
 * expired by the time the next command runs.
 */
let stack: Stack;
let second: McpTestServer;
let third: McpTestServer;
let box: Sandbox;

beforeAll(async () => {
  stack = await startStack();
  second = await startMcpServer({ authServer: stack.as });
  third = await startMcpServer({ authServer: stack.as });
  box = await createSandbox();
});

afterAll(async () => {
  await third?.close();
  await second?.close();
  await stack?.close();
  await box?.close();
});

async function loginWithToken(name: string, url: string, response: object, clientId?: string) {
  const login = await box.run(
    ['login', url, '--name', name, '--with-token', ...(clientId ? ['--client-id', clientId] : [])],
    { input: JSON.stringify(response) },
  );
  expect(login.code, login.stderr).toBe(0);
}

const listStates = async () =>
  Object.fromEntries(
    (
      JSON.parse((await box.run(['list', '--json'])).stdout) as { name: string; state: string }[]
    ).map((s) => [s.name, s.state]),
  );

describe('clear --expired', () => {
  it('deletes tokens past use, keeps refreshable and valid ones and every name; --dry-run deletes nothing', async () => {
    const issuer = stack.as.issuer;
    // Expired, no refresh token: past use.
    const gone = await obtainTokens({ issuer, resource: stack.mcp.url, scope: 'mcp:read' });
    const { refresh_token: _dropped, ...goneResponse } = gone.raw;
    await loginWithToken('gone', stack.mcp.url, { ...goneResponse, expires_in: 0.001 });
    // Expired with a refresh token: kept, the next use refreshes it.
    const refreshable = await obtainTokens({
      issuer,
      resource: second.url,
      scope: 'mcp:read offline_access',
    });
    expect(refreshable.refreshToken).toBeDefined();
    await loginWithToken(
      'refreshable',
      second.url,
      { ...refreshable.raw, expires_in: 0.001 },
      refreshable.clientId,
    );
    // Valid for an hour: kept.
    const valid = await obtainTokens({ issuer, resource: third.url, scope: 'mcp:read' });
    const { refresh_token: _unused, ...validResponse } = valid.raw;
    await loginWithToken('valid', third.url, validResponse);
    expect(await listStates()).toEqual({
      gone: 'expired',
      refreshable: 'refreshable',
      valid: 'valid',
    });
    const goneKey = `tokens:${issuer} ${stack.mcp.url}`;

    const dry = await box.run(['clear', '--expired', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({
      schemaVersion: 1,
      dryRun: true,
      deleted: [],
      tokens: [goneKey],
      registrations: [],
      dpopKeys: [],
      replacedRegistrations: [],
    });
    const dryText = await box.run(['clear', '--expired', '--dry-run']);
    expect(dryText.stdout).toBe(`${goneKey}\n`);
    expect(dryText.stderr).toMatch(
      /Would delete 1 record from file .*\(1 expired token record\); nothing was deleted/,
    );
    expect((await listStates()).gone).toBe('expired');

    const run = await box.run(['clear', '--expired', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      dryRun: false,
      deleted: [goneKey],
      tokens: [goneKey],
    });
    // The name stays, its tokens gone; the others are untouched.
    expect(await listStates()).toEqual({
      gone: 'logged-out',
      refreshable: 'refreshable',
      valid: 'valid',
    });
    expect(dry.stdout + dryText.stdout + dryText.stderr + run.stdout).not.toContain(
      gone.accessToken,
    );

    const again = await box.run(['clear', '--expired']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/Deleted 0 records that can no longer be used/);

    // The refreshable tokens still serve: their refresh token is used.
    const token = await box.run(['token', 'refreshable']);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout.trim()).not.toBe(refreshable.accessToken);
  });

  it('refuses --expired with a name or --all, and --dry-run without --expired (exit 2)', async () => {
    for (const args of [
      ['clear', '--expired', 'valid'],
      ['clear', '--expired', '--all', '--yes'],
      ['clear', '--dry-run', 'valid'],
    ]) {
      const result = await box.run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/--expired/);
    }
    expect((await listStates()).valid).toBe('valid');
  });
});
