// MCP-DISC-7: the order of the authorization server metadata URLs for an issuer with a path.
import { describe, expect, it } from 'vitest';
import {
  authorizationServerMetadataUrls,
  fetchAuthorizationServerMetadata,
} from '../../src/discovery/authorization-server.ts';
import { fakeServer, json } from '../support/fake-server.ts';

const ISSUER = 'https://as.example/realms/x';

describe('authorization server metadata URLs (MCP discovery order)', () => {
  it('an issuer with a path: RFC 8414 path insertion, then OIDC path insertion, then OIDC path appending', () => {
    expect(authorizationServerMetadataUrls(ISSUER)).toEqual([
      'https://as.example/.well-known/oauth-authorization-server/realms/x',
      'https://as.example/.well-known/openid-configuration/realms/x',
      'https://as.example/realms/x/.well-known/openid-configuration',
    ]);
    // a trailing slash on the path does not change the URLs
    expect(authorizationServerMetadataUrls(`${ISSUER}/`)).toEqual(
      authorizationServerMetadataUrls(ISSUER),
    );
  });

  it('an issuer without a path: RFC 8414, then OIDC, each once', () => {
    expect(authorizationServerMetadataUrls('https://as.example')).toEqual([
      'https://as.example/.well-known/oauth-authorization-server',
      'https://as.example/.well-known/openid-configuration',
    ]);
  });

  it('finds metadata published only at the OIDC path-insertion URL, after trying the RFC 8414 URL first', async () => {
    const server = fakeServer({
      'GET /.well-known/openid-configuration/realms/x': () =>
        json({ issuer: ISSUER, code_challenge_methods_supported: ['S256'] }),
    });
    const found = await fetchAuthorizationServerMetadata(server.fetch, ISSUER, { maxBytes: 65536 });
    expect(found.url).toBe('https://as.example/.well-known/openid-configuration/realms/x');
    expect(found.metadata.issuer).toBe(ISSUER);
    // asked in this order, and the third URL was never needed
    expect(server.requests.map((r) => r.url)).toEqual([
      'https://as.example/.well-known/oauth-authorization-server/realms/x',
      'https://as.example/.well-known/openid-configuration/realms/x',
    ]);
    expect(found.attempts).toEqual([
      {
        url: 'https://as.example/.well-known/oauth-authorization-server/realms/x',
        status: 404,
      },
      { url: 'https://as.example/.well-known/openid-configuration/realms/x', status: 'ok' },
    ]);
  });
});
