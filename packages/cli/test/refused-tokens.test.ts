import {
  type AuthServer,
  type McpTestServer,
  startAuthorizationServer,
  startMcpServer,
} from '@mcp-oauth/testing';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withRefusedTokensHint } from '../src/login-needed.ts';
import { createSandbox, type Sandbox } from './helpers.ts';
import { bridgePid, connectThroughBridge, untilExited } from './proxy/bridge-client.ts';

/**
 * An MCP server that refuses every token with a bare 401 (as one that takes only Bearer tokens
 * refuses DPoP-bound ones, or one whose own checks fail): the login works, the server does not
 * take its tokens. `test` and the bridge say so as `status` does: log in again, with the command
 * (exit 3; the bridge's login-needed answer), not the SDK transport's empty "Error POSTing to
 * endpoint: ".
 */
let as: AuthServer;
let mcp: McpTestServer;
let box: Sandbox;
let login: string;

beforeAll(async () => {
  as = await startAuthorizationServer();
  mcp = await startMcpServer({
    authServer: as,
    verifier: {
      verifyAccessToken: async () => {
        throw new InvalidTokenError('not accepted here');
      },
    },
  });
  box = await createSandbox();
  login = `mcp-oauth login ${mcp.url} --name picky ${box.storeFlags}`;
  const result = await box.run(['login', mcp.url, '--name', 'picky']);
  expect(result.code, result.stderr).toBe(0);
});

afterAll(async () => {
  await mcp?.close();
  await as?.close();
  await box?.close();
});

it('test: the server refused the tokens, log in again with the command (exit 3)', async () => {
  const result = await box.run(['test', 'picky']);
  expect(result.code).toBe(3);
  expect(result.stderr).toContain(
    `The server refused the tokens for picky (HTTP 401). Log in again with \`${login}\`.`,
  );
  expect(result.stderr).not.toContain('Error POSTing');
  const json = await box.run(['test', 'picky', '--json']);
  expect(json.code).toBe(3);
  const line = json.stderr.trim().split('\n').pop() ?? '';
  expect(JSON.parse(line).error).toMatchObject({ code: 'login_needed' });
});

it('the bridge answers the host with the login-needed error and the command', async () => {
  const host = await connectThroughBridge(box, ['picky'], {
    env: { BROWSER: 'none' },
    connect: false,
  });
  try {
    const error = await host.client.connect(host.transport).then(
      () => undefined,
      (e: unknown) => e as { code?: number; message?: string; data?: { command?: string } },
    );
    expect(error?.code).toBe(-32001);
    expect(error?.message).toContain('The server refused the tokens for picky (HTTP 401)');
    expect(error?.data?.command).toBe(login);
  } finally {
    await host.close();
    await untilExited(bridgePid(host));
  }
});

it('the bridge, with DPoP-bound tokens refused: its answer tells the login without DPoP too', async () => {
  const dpopBox = await createSandbox();
  try {
    const login = await dpopBox.run(['login', mcp.url, '--name', 'picky', '--dpop', 'always']);
    expect(login.code, login.stderr).toBe(0);
    const host = await connectThroughBridge(dpopBox, ['picky'], {
      env: { BROWSER: 'none' },
      connect: false,
    });
    try {
      const error = await host.client.connect(host.transport).then(
        () => undefined,
        (e: unknown) => e as { code?: number; message?: string },
      );
      expect(error?.code).toBe(-32001);
      expect(error?.message).toContain(
        `the tokens are DPoP-bound, and a server that takes only Bearer tokens refuses them: then log in with \`mcp-oauth login ${mcp.url} --name picky ${dpopBox.storeFlags} --dpop off\``,
      );
    } finally {
      await host.close();
      // gone before its sandbox is removed (it may still write its code cache there)
      await untilExited(bridgePid(host));
    }
  } finally {
    await dpopBox.close();
  }
});

it('DPoP-bound tokens refused: the login without DPoP is told too', () => {
  // the SDK transport's error carries the HTTP status as its code (StreamableHTTPError)
  const refused = Object.assign(new Error('Streamable HTTP error: Error POSTing to endpoint: '), {
    code: 401,
  });
  const server = { name: 'picky', serverUrl: 'https://mcp.example.com/mcp' };
  const told = withRefusedTokensHint(refused, server, '', 'DPoP') as Error;
  expect(told.message).toBe(
    'The server refused the tokens for picky (HTTP 401). Log in again with `mcp-oauth login https://mcp.example.com/mcp --name picky`; the tokens are DPoP-bound, and a server that takes only Bearer tokens refuses them: then log in with `mcp-oauth login https://mcp.example.com/mcp --name picky --dpop off`.',
  );
  // other statuses and errors are left as they are
  const forbidden = Object.assign(new Error('x'), { code: 403 });
  expect(withRefusedTokensHint(forbidden, server, '', 'DPoP')).toBe(forbidden);
});
