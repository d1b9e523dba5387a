import { join } from 'node:path';
import type { StoreRecord } from '@mcp-oauth/core';
import { fileStore } from '@mcp-oauth/store-file';
import { type McpTestServer, type Stack, startMcpServer, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

let stack: Stack;
let second: McpTestServer;
let box: Sandbox;

beforeAll(async () => {
  stack = await startStack();
  // another MCP server trusting the same authorization server (same issuer, same registration)
  second = await startMcpServer({ authServer: stack.as });
  box = await createSandbox();
});

afterAll(async () => {
  await second?.close();
  await stack?.close();
  await box?.close();
});

const store = () => fileStore({ directory: join(box.dir, 'store') });
const clientKey = () => `client:${stack.as.issuer}`;

async function storedClientId(): Promise<string | undefined> {
  const record = await store().get(clientKey());
  return typeof record?.clientId === 'string' ? record.clientId : undefined;
}

/** Moves the stored tokens' expiry into the past, so that the next use refreshes. */
async function expireTokens(): Promise<void> {
  const s = store();
  for (const key of await s.list('tokens:')) {
    const record = (await s.get(key)) as StoreRecord;
    await s.set(key, { ...record, expiresAt: Date.now() - 60_000 });
  }
}

/** `login` with a short browser timeout: a login stuck on the server's error page fails fast. */
const login = (url: string, name: string, ...more: string[]) =>
  box.run(['login', url, '--name', name, '--timeout', '20', ...more], { timeoutMs: 40_000 });

// several CLI runs per test, on machines shared with other suites
describe('a client registration the authorization server forgot (restart, expiry, admin)', {
  timeout: 60_000,
}, () => {
  it('token: exit 3 with the login hint; login then works without clear', async () => {
    expect((await login(stack.mcp.url, 'demo')).code).toBe(0);
    const before = await storedClientId();
    await stack.as.forgetClients();
    await expireTokens();

    const token = await box.run(['token', 'demo']);
    expect(token.code, token.stderr).toBe(3);
    expect(token.stdout).toBe('');
    expect(token.stderr).toContain('Log in again with `mcp-oauth login');
    expect(token.stderr).toContain('--name demo');
    expect(token.stderr).toContain(`no longer knows the client ${before}`);
    expect(await storedClientId()).toBeUndefined();

    const again = await login(stack.mcp.url, 'demo');
    expect(again.code, again.stderr).toBe(0);
    expect(await storedClientId()).not.toBe(before);
    expect((await box.run(['token', 'demo'])).code).toBe(0);
  });

  it('test: exit 3 with the login hint; login then works without clear', async () => {
    await stack.as.forgetClients();
    await expireTokens();
    const result = await box.run(['test', 'demo']);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('Log in again with `mcp-oauth login');
    const again = await login(stack.mcp.url, 'demo');
    expect(again.code, again.stderr).toBe(0);
    const tested = await box.run(['test', 'demo']);
    expect(tested.code, tested.stderr).toBe(0);
  });

  it('login with a stored registration the server forgot registers anew instead of waiting at an error page', async () => {
    const before = await storedClientId();
    expect(before).toBeDefined();
    await stack.as.forgetClients();
    const started = Date.now();
    const result = await login(stack.mcp.url, 'demo', '--verbose');
    expect(result.code, result.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stderr).toContain(`no longer knows the client ${before}`);
    expect(await storedClientId()).not.toBe(before);
  });

  it('clear <name> removes the client registration once no other name uses it', async () => {
    expect((await login(second.url, 'other')).code).toBe(0); // same issuer, same registration
    const kept = await box.run(['clear', 'demo', '--json']);
    expect(kept.code, kept.stderr).toBe(0);
    expect(JSON.parse(kept.stdout).deleted).not.toContain(clientKey());
    expect(await storedClientId()).toBeDefined();

    const cleared = await box.run(['clear', 'other', '--json']);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(JSON.parse(cleared.stdout).deleted).toContain(clientKey());
    expect(await store().list('client:')).toEqual([]);
    expect(await store().list('alias:')).toEqual([]);

    // the next login after a forgetful server and a clear works at once
    await stack.as.forgetClients();
    expect((await login(stack.mcp.url, 'demo')).code).toBe(0);
  });

  it('a pre-registered client the server forgot: an error naming the client id, nothing dropped', async () => {
    const metadata = (await (
      await fetch(`${stack.as.issuer}/.well-known/oauth-authorization-server`)
    ).json()) as { registration_endpoint: string };
    // registered out of band, as an administrator would
    const { client_id: clientId } = (await (
      await fetch(metadata.registration_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: ['http://127.0.0.1/callback'],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
          application_type: 'native',
        }),
      })
    ).json()) as { client_id: string };
    const loggedIn = await login(second.url, 'pre', '--client-id', clientId);
    expect(loggedIn.code, loggedIn.stderr).toBe(0);
    await stack.as.forgetClients();
    await expireTokens();

    const token = await box.run(['token', 'pre']);
    expect([0, 3]).not.toContain(token.code);
    expect(token.stderr).toContain(clientId);
    expect(token.stderr).toContain('invalid_client');
    expect(token.stderr).toContain('--client-id'); // the flag that sets core's client.clientId
    expect(token.stdout).toBe('');
    expect(await store().list('tokens:')).not.toEqual([]);
  });
});
