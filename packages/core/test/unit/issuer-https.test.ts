// RFC 8414 §2 / MCP: the authorization server's issuer is https (loopback http aside).
import { describe, expect, it } from 'vitest';
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
      ['http://127.0.0.1:7', false],
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
});
