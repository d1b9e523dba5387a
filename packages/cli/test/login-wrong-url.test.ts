import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

/**
 * A mistyped MCP server URL (a path the server does not serve) on a real server: no resource
 * metadata for it, none at its origin, and the URL answers 404. The user is told there is no MCP
 * server at that URL; nothing is registered or cached, so a second try says the same.
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

it('login with a mistyped path says there is no MCP server at that URL (exit 4), and caches nothing', async () => {
  const typo = `${stack.mcp.url}x`;
  const said = `error: ${typo} answered HTTP 404, and no OAuth metadata was found for it (neither RFC 9728 resource metadata nor ${new URL(typo).origin}/.well-known/oauth-authorization-server): there is no MCP server at this URL; check it.`;
  const registrations = stack.as.stats.registrations;
  for (const attempt of [1, 2]) {
    const result = await box.run(['login', typo, '--name', 'typo']);
    expect(result.code, `attempt ${attempt}`).toBe(4);
    expect(result.stderr).toContain(said);
    expect(result.stderr).not.toMatch(/cached discovery|taking its origin|registration/);
  }
  expect(stack.as.stats.registrations).toBe(registrations);
  const list = await box.run(['list', '--json']);
  expect(JSON.parse(list.stdout)).toEqual([]);
});

it('--json: the error is resource_metadata_invalid with HTTP 404', async () => {
  const result = await box.run(['login', `${stack.mcp.url}x`, '--json']);
  expect(result.code).toBe(4);
  const line = result.stderr.trim().split('\n').pop() ?? '';
  const { error } = JSON.parse(line) as { error: { code: string; message: string } };
  expect(error.code).toBe('resource_metadata_invalid');
  expect(error.message).toContain('there is no MCP server at this URL');
});
