import { join } from 'node:path';
import { fileStore } from '@mcp-oauth/store-file';
import {
  type AuthServer,
  type McpTestServer,
  startAuthorizationServer,
  startMcpServer,
} from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers.ts';

let as: AuthServer;
let mcp: McpTestServer;
let box: Sandbox;

beforeAll(async () => {
  // no metadata anywhere: neither RFC 9728 at the MCP server nor RFC 8414 / OIDC at the AS
  as = await startAuthorizationServer({ discovery: 'none' });
  mcp = await startMcpServer({
    authServer: as,
    metadataLocation: 'none',
    noResourceMetadataInChallenge: true,
  });
  box = await createSandbox();
});

afterAll(async () => {
  await mcp?.close();
  await as?.close();
  await box?.close();
});

/** oidc-provider's routes, as flags. */
const endpointFlags = (overrides: Record<string, string> = {}) =>
  Object.entries({
    '--issuer': as.issuer,
    '--authorization-endpoint': `${as.issuer}/auth`,
    '--token-endpoint': `${as.issuer}/token`,
    '--registration-endpoint': `${as.issuer}/reg`,
    '--revocation-endpoint': `${as.issuer}/token/revocation`,
    ...overrides,
  }).flat();

describe('login with the authorization server endpoints given as flags', () => {
  it('logs in where discovery finds nothing, remembers the endpoints, and later commands use them', async () => {
    const result = await box.run([
      'login',
      mcp.url,
      '--name',
      'manual',
      '--scope',
      'mcp:read',
      '--json',
      ...endpointFlags(),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ name: 'manual', issuer: as.issuer });

    const store = fileStore({ directory: join(box.dir, 'store') });
    const alias = await store.get('alias:manual');
    await store.close?.();
    expect(alias?.settings).toMatchObject({
      authorizationServer: {
        issuer: as.issuer,
        authorizationEndpoint: `${as.issuer}/auth`,
        tokenEndpoint: `${as.issuer}/token`,
        registrationEndpoint: `${as.issuer}/reg`,
        revocationEndpoint: `${as.issuer}/token/revocation`,
      },
    });

    const refreshed = await box.run(['refresh', 'manual']);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    const test = await box.run(['test', 'manual', '--json']);
    expect(test.code, test.stderr).toBe(0);
    expect(JSON.parse(test.stdout).tools.length).toBeGreaterThan(0);
  });

  it('refuses a plain http endpoint, naming the flag and the way out', async () => {
    const before = as.stats.requests.total;
    const result = await box.run([
      'login',
      mcp.url,
      '--name',
      'manual',
      ...endpointFlags({ '--token-endpoint': 'http://as.example.test/token' }),
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--token-endpoint URL (http://as.example.test) is not https');
    expect(result.stderr).toContain('--allow-http');
    expect(result.stderr).not.toContain('authorizationServer');
    expect(as.stats.requests.total).toBe(before);
  });

  it('needs the issuer with the authorization and token endpoints', async () => {
    const result = await box.run(['login', mcp.url, '--name', 'manual', '--issuer', as.issuer]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--issuer needs --authorization-endpoint and --token-endpoint too',
    );
  });
});
