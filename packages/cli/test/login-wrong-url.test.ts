import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

/**
 * A mistyped MCP server URL on a real server: no resource metadata answers for that path, so
 * the login takes MCP 2025-03-26 discovery (the origin's default endpoints), whose registration
 * endpoint answers 404. The user learns which URL answered 404, that the server URL may be
 * wrong, and the flag for a client registered by hand; nothing is stored.
 */
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

it('login with a mistyped path names the URL that answered 404 and the way out', async () => {
  const typo = `${stack.mcp.url}x`;
  const origin = new URL(stack.mcp.url).origin;
  const result = await box.run(['login', typo, '--name', 'typo']);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain(
    `No protected resource metadata at ${typo}: taking its origin ${origin} as the authorization server (MCP 2025-03-26). If this is not an MCP server, check the URL.`,
  );
  expect(result.stderr).toContain(
    `Dynamic client registration at ${origin}/register failed with HTTP 404 (not an OAuth error response).`,
  );
  expect(result.stderr).toContain(`mcp-oauth login ${typo} --name typo`);
  expect(result.stderr).toContain('--client-id <id>');
  expect(result.stderr).not.toContain('client.clientId');
  const list = await box.run(['list', '--json']);
  expect(JSON.parse(list.stdout)).toEqual([]);
  // again: the discovery now comes from the cache, and still says what to check
  const again = await box.run(['login', typo, '--name', 'typo']);
  expect(again.code).not.toBe(0);
  expect(again.stderr).toContain(
    `Using the cached discovery for ${typo}: no protected resource metadata, so its origin ${origin} is the authorization server (MCP 2025-03-26). If this is not an MCP server, check the URL.`,
  );
  expect(again.stderr).toContain(`${origin}/register failed with HTTP 404`);
});

it('--json: the error names the flag', async () => {
  const result = await box.run(['login', `${stack.mcp.url}x`, '--json']);
  expect(result.code).not.toBe(0);
  const line = result.stderr.trim().split('\n').pop() ?? '';
  const { error } = JSON.parse(line) as {
    error: { code: string; message: string; flag?: string };
  };
  expect(error.code).toBe('registration_failed');
  expect(error.flag).toBe('--client-id');
  expect(error.message).toContain('/register failed with HTTP 404');
});
