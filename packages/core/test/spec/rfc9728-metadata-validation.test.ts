import { describe, expect, it } from 'vitest';
import { validateAuthorizationServerMetadata } from '../../src/discovery/authorization-server.ts';
import { validateProtectedResourceMetadata } from '../../src/discovery/protected-resource.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import type { FlowContext } from '../../src/flow/context.ts';
import { introspectToken } from '../../src/grants/introspection-request.ts';
import { revokeToken } from '../../src/grants/revoke.ts';
import { flowContext } from '../support/context.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return McpOAuthError.isInstance(e) ? e.code : String(e);
  }
  return 'no error';
};

describe('metadata validation', () => {
  it('a resource identifier must be an absolute http(s) URL without a fragment (RFC 8707)', () => {
    const prm = (resource: string) => ({ resource, authorization_servers: ['https://as.example'] });
    expect(
      code(() => validateProtectedResourceMetadata(prm('https://h/mcp#frag'), 'https://h/x')),
    ).toBe('resource_metadata_invalid');
    expect(code(() => validateProtectedResourceMetadata(prm('urn:mcp'), 'https://h/x'))).toBe(
      'resource_metadata_invalid',
    );
    expect(code(() => validateProtectedResourceMetadata(prm('https://h/mcp'), 'https://h/x'))).toBe(
      'no error',
    );
  });

  it('lists of authorization servers and scopes must be what they claim', () => {
    expect(
      code(() =>
        validateProtectedResourceMetadata(
          { resource: 'https://h', authorization_servers: [] },
          'u',
        ),
      ),
    ).toBe('resource_metadata_invalid');
    expect(
      code(() =>
        validateProtectedResourceMetadata(
          { resource: 'https://h', authorization_servers: ['javascript:alert(1)'] },
          'u',
        ),
      ),
    ).toBe('resource_metadata_invalid');
    expect(
      code(() =>
        validateProtectedResourceMetadata(
          { resource: 'https://h', authorization_servers: ['https://a'], scopes_supported: 'a b' },
          'u',
        ),
      ),
    ).toBe('resource_metadata_invalid');
  });

  it('an issuer with a query or fragment is refused (RFC 8414)', () => {
    const doc = (issuer: string) => ({ issuer, code_challenge_methods_supported: ['S256'] });
    expect(
      code(() =>
        validateAuthorizationServerMetadata(
          doc('https://as.example?tenant=1'),
          'https://as.example?tenant=1',
          'u',
          {},
        ),
      ),
    ).toBe('authorization_server_metadata_invalid');
    expect(
      code(() =>
        validateAuthorizationServerMetadata(
          doc('https://as.example#x'),
          'https://as.example#x',
          'u',
          {},
        ),
      ),
    ).toBe('authorization_server_metadata_invalid');
    expect(
      code(() =>
        validateAuthorizationServerMetadata(
          { ...doc('https://as.example'), token_endpoint: 'not a url' },
          'https://as.example',
          'u',
          {},
        ),
      ),
    ).toBe('authorization_server_metadata_invalid');
  });
});

describe('every endpoint is checked for https before any request', () => {
  const requests: string[] = [];
  const recording = async (input: string | URL | Request) => {
    requests.push(String(input));
    return new Response('{}');
  };
  // both ports record, so a request through either one shows
  const ctx: FlowContext = flowContext(recording, { oauthFetch: recording });
  const as = {
    issuer: 'https://as.example',
    revocation_endpoint: 'http://as.example/revoke',
    introspection_endpoint: 'http://as.example/introspect',
  };
  const client = {
    v: 1 as const,
    kind: 'client' as const,
    issuer: as.issuer,
    source: 'pre-registered' as const,
    clientId: 'c',
    tokenEndpointAuthMethod: 'none',
    redirectUris: [],
    grantTypes: [],
    registeredAt: 0,
  };

  it('revocation and introspection over plain http to another host are refused, and nothing is sent', async () => {
    const revoked = await revokeToken(ctx, {
      as,
      client,
      config: {},
      token: 'secret-token',
      hint: 'refresh_token',
    }).catch((e: unknown) => e);
    expect(McpOAuthError.is(revoked, 'insecure_url')).toBe(true);
    const introspected = await introspectToken(ctx, {
      as,
      client,
      config: {},
      token: 'secret-token',
    }).catch((e: unknown) => e);
    expect(McpOAuthError.is(introspected, 'insecure_url')).toBe(true);
    expect(requests).toEqual([]);
    expect(String(revoked)).not.toContain('secret-token');
  });
});

describe('https before tokens travel', () => {
  const requests: string[] = [];
  const fetch = async (input: string | URL | Request) => {
    requests.push(String(input));
    return new Response('{}');
  };
  const ctx: FlowContext = flowContext(fetch, { oauthFetch: fetch });
  const client = {
    v: 1 as const,
    kind: 'client' as const,
    issuer: 'https://as.example',
    source: 'pre-registered' as const,
    clientId: 'c',
    clientSecret: 's',
    tokenEndpointAuthMethod: 'client_secret_basic',
    redirectUris: [],
    grantTypes: [],
    registeredAt: 0,
  };
  const as = {
    issuer: 'https://as.example',
    token_endpoint: 'http://as.example/token',
    code_challenge_methods_supported: ['S256'],
  };
  const tokens = {
    v: 1 as const,
    kind: 'tokens' as const,
    issuer: as.issuer,
    resource: 'https://h/mcp',
    clientId: 'c',
    accessToken: 'at',
    refreshToken: 'secret-refresh',
    tokenType: 'bearer',
    obtainedAt: 0,
  };

  it('a refresh or client credentials request to a plain-http token endpoint is refused before sending', async () => {
    const { refreshGrant } = await import('../../src/grants/refresh-token-grant.ts');
    const { clientCredentialsGrant } = await import('../../src/grants/client-credentials-grant.ts');
    const refreshed = await refreshGrant(ctx, {
      as,
      client,
      config: {},
      tokens,
      resourceMetadata: { resource: tokens.resource, authorization_servers: [as.issuer] },
    }).catch((e: unknown) => e);
    expect(McpOAuthError.is(refreshed, 'insecure_url')).toBe(true);
    const machine = await clientCredentialsGrant(ctx, {
      as,
      client,
      config: {},
      resource: 'https://h/mcp',
      resourceMetadata: { resource: 'https://h/mcp', authorization_servers: [as.issuer] },
      scope: undefined,
    }).catch((e: unknown) => e);
    expect(McpOAuthError.is(machine, 'insecure_url')).toBe(true);
    expect(requests).toEqual([]);
    expect(String(refreshed)).not.toContain('secret-refresh');
  });

  it('an MCP server or resource_metadata URL on plain http (not loopback) is refused before discovery', async () => {
    const { discover } = await import('../../src/flow/discover.ts');
    expect(
      McpOAuthError.is(
        await discover(ctx, 'http://mcp.example.com/mcp').catch((e: unknown) => e),
        'insecure_url',
      ),
    ).toBe(true);
    expect(
      McpOAuthError.is(
        await discover(ctx, 'https://mcp.example.com/mcp', {
          resourceMetadataUrl: 'http://evil.example/prm',
        }).catch((e: unknown) => e),
        'insecure_url',
      ),
    ).toBe(true);
    expect(requests).toEqual([]);
  });

  it('a DPoP-bound token issued without a proof is refused; a bearer answer clears the binding', async () => {
    const { boundTo } = await import('../../src/grants/with-dpop.ts');
    expect(() => boundTo({ ...tokens, tokenType: 'dpop' }, undefined)).toThrow(McpOAuthError);
    expect(boundTo({ ...tokens, tokenType: 'dpop' }, 'jkt').dpopJkt).toBe('jkt');
    expect(boundTo({ ...tokens, dpopJkt: 'old' }, 'jkt').dpopJkt).toBeUndefined();
  });
});
