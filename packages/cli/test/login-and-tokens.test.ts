import { join } from 'node:path';
import type { StoreRecord } from '@mcp-oauth/core';
import { fileStore } from '@mcp-oauth/store-file';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

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

/** The stored tokens record, read the way the CLI's file store keeps it. */
async function storedTokens(): Promise<StoreRecord> {
  const store = fileStore({ directory: join(box.dir, 'store') });
  const [key] = await store.list('tokens:');
  const record = key ? await store.get(key) : undefined;
  if (!record) throw new Error('no tokens stored');
  return record;
}

async function mcpToolsList(token: string): Promise<Response> {
  return fetch(stack.mcp.url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
}

describe('browser login and token administration', () => {
  it('logs in through the loopback receiver, BROWSER completing consent', async () => {
    const result = await box.run(['login', stack.mcp.url, '--name', 'demo', '--json']);
    expect(result.stderr).toContain('Waiting for you to approve in the browser');
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({
      name: 'demo',
      serverUrl: stack.mcp.url,
      flow: 'browser',
      issuer: stack.as.issuer,
      resource: stack.mcp.url,
      hasRefreshToken: true,
    });
    expect(out.scope).toContain('mcp:read');
    expect(stack.as.stats.authorizations).toBeGreaterThanOrEqual(1);
  });

  it('tells how to use the tokens, with the store flags it logged in with; a memory store keeps nothing', async () => {
    const plain = await box.run(['login', stack.mcp.url, '--name', 'demo']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain(
      `Use it: mcp-oauth token demo ${box.storeFlags}   |   mcp-oauth test demo ${box.storeFlags}`,
    );
    const memory = await box.run(['login', stack.mcp.url, '--name', 'mem', '--store', 'memory']);
    expect(memory.code, memory.stderr).toBe(0);
    expect(memory.stderr).toContain(
      'warning: The memory store keeps nothing after this command: keep the tokens with --store file or --store keychain.',
    );
    expect(memory.stderr).not.toContain('Use it:');
  });

  it('lists the server as JSON', async () => {
    const result = await box.run(['list', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const list = JSON.parse(result.stdout);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      name: 'demo',
      serverUrl: stack.mcp.url,
      state: 'valid',
      issuer: stack.as.issuer,
      clientSource: 'dynamic-registration',
    });
  });

  it('prints a valid token that the MCP server accepts; header prints it as a header', async () => {
    const result = await box.run(['token', 'demo']);
    expect(result.code, result.stderr).toBe(0);
    const token = result.stdout.trim();
    expect(token).toBe((await storedTokens()).accessToken);
    expect(result.stdout).toBe(`${token}\n`);
    expect((await mcpToolsList(token)).status).toBe(200);

    const header = await box.run(['header', 'demo']);
    expect(header.stdout).toBe(`Authorization: Bearer ${token}\n`);
  });

  it('shows the server without any token or secret', async () => {
    const tokens = await storedTokens();
    for (const args of [
      ['show', 'demo'],
      ['show', 'demo', '--json'],
      ['list'],
      ['list', '--json'],
    ]) {
      const result = await box.run(args);
      expect(result.code, result.stderr).toBe(0);
      for (const secret of [tokens.accessToken, tokens.refreshToken]) {
        expect(result.stdout).not.toContain(secret as string);
        expect(result.stderr).not.toContain(secret as string);
      }
    }
    const shown = JSON.parse((await box.run(['show', 'demo', '--json'])).stdout);
    expect(shown).toMatchObject({
      name: 'demo',
      state: 'valid',
      issuer: stack.as.issuer,
      hasRefreshToken: true,
      tokenType: 'bearer',
    });
    expect(shown.store).toContain(join(box.dir, 'store'));
    expect(Object.keys(shown)).not.toContain('accessToken');
  });

  it('test: initializes with the SDK client and prints the tools', async () => {
    const text = await box.run(['test', 'demo']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^echo\s+Returns its text argument/m);
    expect(text.stderr).toContain('4 tools');
    const json = JSON.parse((await box.run(['test', 'demo', '--json'])).stdout);
    expect(json.tools.map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining(['echo', 'add', 'whoami', 'admin_reset']),
    );
    expect(json.server.name).toBe('mcp-oauth-test-server');
  });

  it('refreshes: a new access token, the refresh token rotated', async () => {
    const before = await storedTokens();
    const refreshes = stack.as.stats.refreshSuccess;
    const result = await box.run(['refresh', 'demo', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(stack.as.stats.refreshSuccess).toBe(refreshes + 1);
    const after = await storedTokens();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(result.stdout).not.toContain(after.accessToken as string);
    expect((await mcpToolsList((await box.run(['token', 'demo'])).stdout.trim())).status).toBe(200);
  });

  it('logs out: the refresh token is revoked at the server, the tokens and name deleted', async () => {
    const { refreshToken } = await storedTokens();
    expect((await stack.as.introspect(refreshToken as string)).active).toBe(true);
    const result = await box.run(['logout', 'demo', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      name: 'demo',
      wasLoggedIn: true,
      revoked: ['refresh_token'],
      // oidc-provider's access tokens are JWTs it does not revoke: said, with when they expire
      accessTokenMayStillBeAccepted: true,
      accessTokenUsableUntil: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      warnings: [],
    });
    expect((await stack.as.introspect(refreshToken as string)).active).toBe(false);
    expect(JSON.parse((await box.run(['list', '--json'])).stdout)).toEqual([]);
    const token = await box.run(['token', 'demo']);
    expect(token.code).toBe(3);
    expect(token.stdout).toBe('');
  });

  it('logout --json tells an access token that may still be accepted from one that may not', async () => {
    expect((await box.run(['login', stack.mcp.url, '--name', 'demo'])).code).toBe(0);
    const kept = await box.run(['logout', 'demo', '--no-revoke', '--json']);
    expect(kept.code, kept.stderr).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({
      wasLoggedIn: true,
      revoked: [],
      accessTokenMayStillBeAccepted: true,
      accessTokenUsableUntil: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // nothing held any more: no token that may be accepted
    expect((await box.run(['login', stack.mcp.url, '--name', 'demo'])).code).toBe(0);
    const store = fileStore({ directory: join(box.dir, 'store') });
    for (const key of await store.list('tokens:')) await store.delete(key);
    await store.close?.();
    const none = await box.run(['logout', 'demo', '--json']);
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({
      wasLoggedIn: false,
      accessTokenMayStillBeAccepted: false,
      accessTokenUsableUntil: null,
    });
  });

  it('logout deletes locally even when revocation fails, with a warning and exit 0', async () => {
    expect((await box.run(['login', stack.mcp.url, '--name', 'demo'])).code).toBe(0);
    const store = fileStore({ directory: join(box.dir, 'store') });
    // Point the cached discovery's revocation endpoint at a closed port.
    const [key] = await store.list('discovery:');
    const discovery = (await store.get(key as string)) as {
      authorizationServerMetadata: Record<string, unknown>;
    } & StoreRecord;
    discovery.authorizationServerMetadata.revocation_endpoint = 'http://127.0.0.1:9/revoke';
    await store.set(key as string, discovery);
    const result = await box.run(['logout', 'demo']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: not revoked at the authorization server: /);
    // the same failure for both tokens is said once, what happened only (nothing to retry)
    expect(result.stderr.match(/warning: not revoked/g)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/retry/);
    // and what that leaves: the refresh token still valid at the server
    expect(result.stderr).toContain(
      'The refresh token was deleted here but not revoked: the authorization server may still accept it until it expires.',
    );
    expect(await store.list('tokens:')).toEqual([]);
  });

  it('logout says that an access token the server did not revoke may be accepted until it expires', async () => {
    expect((await box.run(['login', stack.mcp.url, '--name', 'demo'])).code).toBe(0);
    const result = await box.run(['logout', 'demo']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /^The authorization server did not revoke the access token itself: servers that check it on their own may accept it until it expires, in \S+ \(\d{4}-\d\d-\d\dT[\d:.]+Z\)\.$/m,
    );
  });

  it('clear <name> deletes one server, clear --all everything; --all without a terminal needs --yes', async () => {
    expect((await box.run(['login', stack.mcp.url, '--name', 'demo'])).code).toBe(0);
    const cleared = await box.run(['clear', 'demo', '--json']);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(JSON.parse(cleared.stdout).deleted).toEqual(
      expect.arrayContaining(['alias:demo', expect.stringMatching(/^tokens:/)]),
    );
    expect((await box.run(['show', 'demo'])).code).toBe(3);

    expect((await box.run(['login', stack.mcp.url, '--name', 'demo'])).code).toBe(0);
    const refused = await box.run(['clear', '--all']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const all = await box.run(['clear', '--all', '--yes']);
    expect(all.code, all.stderr).toBe(0);
    const store = fileStore({ directory: join(box.dir, 'store') });
    expect(await store.list('')).toEqual([]);
  });
});

describe('device flow login', () => {
  it('shows the verification URL and code, and finishes when the test approves', async () => {
    const running = box.start(['login', stack.mcp.url, '--name', 'dev', '--device', '--json']);
    const [, uri, code] = await running.waitForStderr(/open (\S+)\nand enter the code: (\S+)/);
    expect(uri).toBe(stack.as.deviceVerificationUri);
    await stack.as.approveDevice(code as string);
    const result = await running.done;
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      name: 'dev',
      flow: 'device',
      issuer: stack.as.issuer,
    });
    const token = (await box.run(['token', 'dev'])).stdout.trim();
    expect((await mcpToolsList(token)).status).toBe(200);
  });

  it('uses the device flow by itself when no browser can be opened (BROWSER=none, CI)', async () => {
    const running = box.start(['login', stack.mcp.url, '--name', 'dev'], {
      env: { BROWSER: 'none' },
    });
    const [, code] = await running.waitForStderr(/enter the code: (\S+)/);
    expect(running.stderrSoFar()).toContain('No browser can be opened here');
    await stack.as.approveDevice(code as string);
    expect((await running.done).code).toBe(0);
  });
});

describe('usage and errors', () => {
  it('exit 2 for usage errors, 3 for unknown names, --help with examples', async () => {
    expect((await box.run(['login'])).code).toBe(2);
    expect((await box.run(['login', 'not a url'])).code).toBe(2);
    const unknown = await box.run(['show', 'nobody']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('Log in first: mcp-oauth login <url> --name nobody');
    // logout and clear of a name no login gave: nothing to forget, not "log in first"
    for (const command of ['logout', 'clear']) {
      const forget = await box.run([command, 'nobody']);
      expect(forget.code, command).toBe(3);
      expect(forget.stderr).toContain(
        `No server is named "nobody" in file (${join(box.dir, 'store')}): there is nothing to forget.`,
      );
      expect(forget.stderr).not.toContain('Log in first');
    }
    expect((await box.run(['--store', 'floppy', 'list'])).code).toBe(2);
    const help = await box.run(['token', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
  });

  it('a second name for the same server is refused', async () => {
    const result = await box.run(['login', stack.mcp.url, '--name', 'other']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('already known as "dev"');
  });
});
