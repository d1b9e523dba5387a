import { type AuthServer, startAuthorizationServer, startMcpServer } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

/**
 * The two servers are configured independently, each as its documentation has it:
 * oidc-provider advertises DPoP by default, the SDK's bearer middleware takes Bearer only.
 */
let as: AuthServer;
let asWithoutDpop: AuthServer;
const servers: { close(): Promise<void> }[] = [];
let box: Sandbox;

const mcp = async (
  authServer: AuthServer,
  dpop: 'off' | 'accepted' | 'required',
  more: { dpopInMetadata?: boolean } = {},
) => {
  const server = await startMcpServer({ authServer, dpop, ...more });
  servers.push(server);
  return server;
};

beforeAll(async () => {
  as = await startAuthorizationServer();
  asWithoutDpop = await startAuthorizationServer({ dpop: false });
  box = await createSandbox();
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await as?.close();
  await asWithoutDpop?.close();
  await box?.close();
});

const tokenType = async (name: string) => {
  const result = await box.run(['token', name, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout).tokenType as string;
};

describe('DPoP in the CLI: used only where both servers take it', () => {
  it('an AS advertising DPoP in front of a Bearer-only MCP server: Bearer tokens, test succeeds', async () => {
    const bearerOnly = await mcp(as, 'off');
    const login = await box.run(['login', bearerOnly.url, '--name', 'bearer-only']);
    expect(login.code, login.stderr).toBe(0);
    expect(await tokenType('bearer-only')).toBe('bearer');
    const test = await box.run(['test', 'bearer-only']);
    expect(test.code, test.stderr).toBe(0);
    expect(bearerOnly.stats.dpopRejected).toBe(0);
    const header = await box.run(['header', 'bearer-only']);
    expect(header.code, header.stderr).toBe(0);
    expect(header.stdout).toMatch(/^Authorization: Bearer \S+\n$/);
  });

  it('an MCP server that takes DPoP: bound tokens, proofs on every request; header refuses, saying why', async () => {
    const accepting = await mcp(as, 'accepted');
    const login = await box.run(['login', accepting.url, '--name', 'bound']);
    expect(login.code, login.stderr).toBe(0);
    expect(await tokenType('bound')).toBe('dpop');
    const test = await box.run(['test', 'bound']);
    expect(test.code, test.stderr).toBe(0);
    expect(accepting.stats.dpopRequests).toBeGreaterThan(0);

    const header = await box.run(['header', 'bound']);
    expect(header.code).toBe(1);
    expect(header.stdout).toBe('');
    expect(header.stderr).toMatch(/DPoP-bound/);
    expect(header.stderr).toContain('--dpop off');
    const token = await box.run(['token', 'bound']);
    expect(token.stderr).toMatch(/DPoP-bound: servers refuse it as a Bearer token/);
  });

  it('--dpop off is remembered for the server: later commands keep Bearer tokens', async () => {
    const accepting = await mcp(as, 'accepted');
    const login = await box.run(['login', accepting.url, '--name', 'forced-off', '--dpop', 'off']);
    expect(login.code, login.stderr).toBe(0);
    expect(await tokenType('forced-off')).toBe('bearer');
    expect((await box.run(['refresh', 'forced-off'])).code).toBe(0);
    expect(await tokenType('forced-off')).toBe('bearer');
    expect((await box.run(['test', 'forced-off'])).code).toBe(0);
    expect(accepting.stats.dpopRequests).toBe(0);
  });

  it('--dpop always binds tokens where the MCP server takes DPoP without saying so', async () => {
    const quiet = await mcp(as, 'accepted', { dpopInMetadata: false });
    const login = await box.run(['login', quiet.url, '--name', 'forced', '--dpop', 'always']);
    expect(login.code, login.stderr).toBe(0);
    expect(await tokenType('forced')).toBe('dpop');
    expect((await box.run(['test', 'forced'])).code).toBe(0);
  });

  it('an unknown --dpop mode is a usage error', async () => {
    const result = await box.run(['login', 'https://mcp.example.com/mcp', '--dpop', 'sometimes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--dpop/);
  });

  it('a server requiring DPoP behind an AS without it: login fails at once with the reason', async () => {
    const requiring = await mcp(asWithoutDpop, 'required');
    const before = asWithoutDpop.stats.authorizations;
    const login = await box.run(['login', requiring.url, '--name', 'impossible']);
    expect(login.code).not.toBe(0);
    expect(login.stderr).toMatch(/accepts only DPoP-bound tokens/);
    expect(login.stderr).toContain(asWithoutDpop.issuer);
    expect(asWithoutDpop.stats.authorizations).toBe(before);
  });
});

describe('inspect shows each side of DPoP and names a mismatch', () => {
  it('AS offers DPoP, MCP server silent: Bearer under --dpop auto, said on the tokens line, no problem (a healthy setup)', async () => {
    const bearerOnly = await mcp(as, 'off');
    const text = await box.run(['inspect', bearerOnly.url]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/DPoP at the AS:\s+yes/);
    expect(text.stdout).toMatch(/DPoP at the MCP server:\s+not stated/);
    expect(text.stdout).toMatch(
      /tokens \(--dpop auto\):\s+Bearer \(the MCP server does not say it takes DPoP; --dpop always only if it is known to\)/,
    );
    expect(text.stdout).not.toMatch(/dpop_mismatch|warning/);
    const report = JSON.parse((await box.run(['inspect', bearerOnly.url, '--json'])).stdout);
    expect(report.capabilities.dpop).toMatchObject({
      resource: { takes: false, requires: false },
      auto: { tokens: 'bearer' },
    });
  });

  it('both take DPoP: DPoP-bound tokens, no DPoP problem', async () => {
    const accepting = await mcp(as, 'accepted');
    const report = JSON.parse((await box.run(['inspect', accepting.url, '--json'])).stdout);
    expect(report.capabilities.dpop.auto).toEqual({ tokens: 'dpop', alg: 'ES256' });
    expect(report.problems.map((p: { code: string }) => p.code)).not.toContain('dpop_mismatch');
    expect(report.verdict).toBe('ok');
  });

  it('MCP server requires DPoP, AS does not offer it: broken (exit 4), not ok', async () => {
    const requiring = await mcp(asWithoutDpop, 'required');
    const text = await box.run(['inspect', requiring.url]);
    expect(text.code).toBe(4);
    expect(text.stdout).toMatch(/DPoP at the MCP server:\s+required/);
    expect(text.stdout).toMatch(/\[dpop_unavailable\]/);
    expect(text.stdout).toMatch(/Verdict: broken/);
  });

  it('a DPoP challenge alone tells that the MCP server takes DPoP', async () => {
    const quiet = await mcp(as, 'required', { dpopInMetadata: false });
    const report = JSON.parse((await box.run(['inspect', quiet.url, '--json'])).stdout);
    expect(report.challenge.dpopAlgs).toEqual(expect.arrayContaining(['ES256']));
    expect(report.capabilities.dpop.resource.takes).toBe(true);
    expect(report.capabilities.dpop.auto.tokens).toBe('dpop');
  });
});
