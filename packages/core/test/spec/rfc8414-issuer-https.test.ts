// RFC 8414 §2 / MCP: the authorization server's issuer is https (loopback http aside).
import { describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { discover } from '../../src/flow/discover.ts';
import { flowContext } from '../support/context.ts';
import { fakeServer, json } from '../support/fake-server.ts';

const metadataFor = (issuer: string) => ({
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  code_challenge_methods_supported: ['S256'],
});

function resourceNaming(issuer: string) {
  return fakeServer({
    'GET /.well-known/oauth-protected-resource/mcp': () =>
      json({ resource: 'https://mcp.example/mcp', authorization_servers: [issuer] }),
    'GET /.well-known/oauth-authorization-server': () => json(metadataFor(issuer)),
  });
}

describe('the issuer (RFC 8414)', () => {
  it('an issuer on plain http (not loopback) is refused before its metadata is requested', async () => {
    const server = resourceNaming('http://as.example');
    const error = await discover(flowContext(server.fetch), 'https://mcp.example/mcp').catch(
      (e: unknown) => e,
    );
    expect(McpOAuthError.is(error, 'insecure_url')).toBe(true);
    expect(server.requests.map((r) => r.url)).toEqual([
      'https://mcp.example/.well-known/oauth-protected-resource/mcp',
    ]);
  });

  it('an https issuer is used, and so is loopback http or http with allowInsecureHttp', async () => {
    for (const [issuer, allowInsecureHttp] of [
      ['https://as.example', false],
      ['http://127.0.0.1:7', 'loopback'],
      ['http://as.example', true],
    ] as const) {
      const server = resourceNaming(issuer);
      const record = await discover(
        flowContext(server.fetch, { allowInsecureHttp }),
        'https://mcp.example/mcp',
      );
      expect(record.issuer).toBe(issuer);
    }
  });

  // MCP security best practices: plain http only behind an explicit opt-in, loopback included.
  it('loopback http is refused without the opt-in, and by default for an https MCP server', async () => {
    const server = resourceNaming('http://127.0.0.1:7');
    const error = await discover(
      flowContext(server.fetch, { allowInsecureHttp: false }),
      'https://mcp.example/mcp',
    ).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'insecure_url')).toBe(true);
    expect((error as Error).message).toContain('allowInsecureHttp');
    expect(server.requests.map((r) => r.url)).toEqual([
      'https://mcp.example/.well-known/oauth-protected-resource/mcp',
    ]);
  });

  it("'loopback' does not open plain http to other hosts", async () => {
    const server = resourceNaming('http://as.example');
    const error = await discover(
      flowContext(server.fetch, { allowInsecureHttp: 'loopback' }),
      'https://mcp.example/mcp',
    ).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'insecure_url')).toBe(true);
  });

  it('createOAuthClient opts in to loopback http only for a loopback MCP server (local development)', async () => {
    const remote = resourceNaming('http://127.0.0.1:7');
    const error = await createOAuthClient({
      serverUrl: 'https://mcp.example/mcp',
      fetch: remote.fetch,
    })
      .discover()
      .catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'insecure_url')).toBe(true);
    const optedIn = resourceNaming('http://127.0.0.1:7');
    const record = await createOAuthClient({
      serverUrl: 'https://mcp.example/mcp',
      fetch: optedIn.fetch,
      allowInsecureHttp: 'loopback',
    }).discover();
    expect(record.issuer).toBe('http://127.0.0.1:7');
    const local = fakeServer({
      'GET /.well-known/oauth-protected-resource/mcp': () =>
        json({ resource: 'http://127.0.0.1:9/mcp', authorization_servers: ['http://127.0.0.1:7'] }),
      'GET /.well-known/oauth-authorization-server': () => json(metadataFor('http://127.0.0.1:7')),
    });
    const dev = await createOAuthClient({
      serverUrl: 'http://127.0.0.1:9/mcp',
      fetch: local.fetch,
    }).discover();
    expect(dev.issuer).toBe('http://127.0.0.1:7');
  });
});
