// MCP (2026-07-28) / OAuth 2.1 §1.5: redirect URIs are localhost or https; OAuth 2.1 §2.3.1: no
// fragment. Checked before the client is resolved, so a refused URI is never registered.
import { type StaticServer, startStaticServer } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { memoryStore } from '../../src/store/memory.ts';
import { resourceOnItsOwnOrigin } from '../support/static-resource.ts';

describe('redirect URIs are checked before registration (MCP-SEC-3)', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await startStaticServer({
      routes: (origin) => ({
        ...resourceOnItsOwnOrigin(origin, { registration_endpoint: `${origin}/register` }),
        'POST /register': {
          status: 201,
          body: { client_id: 'dyn', token_endpoint_auth_method: 'none' },
        },
      }),
    });
  });
  afterAll(async () => server?.close());

  const registrations = () => server.requests.byRoute['POST /register'] ?? 0;
  const begin = (redirectUri: string) =>
    createOAuthClient({ serverUrl: `${server.url}/mcp`, store: memoryStore() }).beginAuthorization({
      redirectUri,
      scopes: ['mcp'],
    });

  it.each([
    ['plain http on a host that is not loopback', 'http://app.example/callback'],
    ['plain http on a private address', 'http://192.168.1.20:8080/callback'],
    ['a fragment', 'https://app.example/callback#done'],
    ['an empty fragment', 'http://127.0.0.1:9/callback#'],
    ['not an absolute URL', '/callback'],
    ['a scheme browsers run (javascript:)', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,callback'],
    ['a file: URL', 'file:///tmp/callback'],
  ])(
    'a redirect URI with %s is refused, naming the option, and never registered',
    async (_why, uri) => {
      const before = registrations();
      const error = await begin(uri).catch((e: unknown) => e);
      expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
      expect((error as McpOAuthError).details).toMatchObject({ option: 'redirectUri' });
      expect((error as Error).message).toContain('`redirectUri` option');
      expect(registrations()).toBe(before);
    },
  );

  it.each([
    ['https', 'https://app.example/callback'],
    ['loopback http (127.0.0.1)', 'http://127.0.0.1:8912/callback'],
    ['loopback http ([::1])', 'http://[::1]:8912/callback'],
    ['loopback http (localhost)', 'http://localhost:8912/callback'],
    ['a private-use scheme (RFC 8252 §7.1)', 'com.example.app:/oauth/callback'],
    [
      'an app scheme that is no reverse domain name (as apps in the field use)',
      'cursor://oauth/callback',
    ],
  ])('a redirect URI on %s is registered and sent', async (_why, uri) => {
    const before = registrations();
    const { authorizationUrl } = await begin(uri);
    expect(registrations()).toBe(before + 1);
    expect(new URL(authorizationUrl).searchParams.get('redirect_uri')).toBe(uri);
  });
});
