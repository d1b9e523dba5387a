// `mcp-oauth test` against a server that asks for more scope than the login holds (403
// insufficient_scope): the command to run says which scope, and running it fixes `test`.
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

let stack: Stack;
let box: Sandbox;

beforeAll(async () => {
  // every request needs mcp:admin, which the resource metadata does not advertise (as a server
  // whose tools need more than what clients ask for by default)
  stack = await startStack({ mcp: { requiredScopes: ['mcp:admin'] } });
  box = await createSandbox();
});

afterAll(async () => {
  await stack?.close();
  await box?.close();
});

describe('test and status, when the server asks for more scope', () => {
  it('names the scope and the login command that adds it; that command fixes it', async () => {
    const login = await box.run(['login', stack.mcp.url, '--name', 'su', '--scope', 'mcp:read']);
    expect(login.code, login.stderr).toBe(0);
    const failed = await box.run(['test', 'su']);
    expect(failed.code).toBe(3);
    const command = `mcp-oauth login ${stack.mcp.url} --name su ${box.storeFlags} --scope mcp:read mcp:admin`;
    expect(failed.stderr).toContain(
      `${stack.mcp.url} needs the scopes "mcp:read mcp:admin" for this request (those held and those it asked for): log in with them, \`${command}\`.`,
    );
    // no library words spliced in
    expect(failed.stderr).not.toMatch(/interaction option|`interaction`|\(e\.g\./);

    // status says the same, with the 403 it met
    const status = await box.run(['status', 'su', '--json']);
    expect(status.code).toBe(3);
    expect(JSON.parse(status.stdout)).toMatchObject([
      {
        name: 'su',
        status: 'login-needed',
        httpStatus: 403,
        message: expect.stringContaining(command),
      },
    ]);

    const again = await box.run(command.split(' ').slice(1));
    expect(again.code, again.stderr).toBe(0);
    const ok = await box.run(['test', 'su']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('add');
  });
});
