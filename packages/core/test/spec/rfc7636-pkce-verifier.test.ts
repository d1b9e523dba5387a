// RFC 7636 / OAuth 2.1: the default PKCE verifier, and a new one for every authorization request.
import { calculatePKCECodeChallenge } from 'oauth4webapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { fakeServer, json } from '../support/fake-server.ts';

const ORIGIN = 'https://mcp.example';
const ISSUER = 'https://as.example';

const server = () =>
  fakeServer({
    'GET /.well-known/oauth-protected-resource/mcp': () =>
      json({ resource: `${ORIGIN}/mcp`, authorization_servers: [ISSUER] }),
    'GET /.well-known/oauth-authorization-server': () =>
      json({
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/authorize`,
        token_endpoint: `${ISSUER}/token`,
        registration_endpoint: `${ISSUER}/register`,
        code_challenge_methods_supported: ['S256'],
      }),
    'POST /register': ({ body }) => json({ ...JSON.parse(body), client_id: 'dyn' }, 201),
  });

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('PKCE code verifier (RFC 7636, OAuth 2.1)', () => {
  it('by default is 32 CSPRNG bytes, base64url without padding: 43 characters, sent as its S256 challenge', async () => {
    const drawn: Uint8Array[] = [];
    const getRandomValues = crypto.getRandomValues.bind(crypto);
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(
      <T extends ArrayBufferView | null>(array: T): T => {
        const filled = getRandomValues(array as never) as T;
        if (filled instanceof Uint8Array) drawn.push(new Uint8Array(filled));
        return filled;
      },
    );
    const client = createOAuthClient({ serverUrl: `${ORIGIN}/mcp`, fetch: server().fetch });
    const { authorizationUrl, pending } = await client.beginAuthorization({
      redirectUri: 'http://127.0.0.1:9/callback',
    });
    expect(pending.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // the verifier is exactly the encoding of 32 bytes drawn from crypto.getRandomValues
    const source = drawn.find((bytes) => base64url(bytes) === pending.codeVerifier);
    expect(source?.length).toBe(32);
    expect(new URL(authorizationUrl).searchParams.get('code_challenge')).toBe(
      await calculatePKCECodeChallenge(pending.codeVerifier),
    );
    expect(pending.state).not.toBe(pending.codeVerifier);
  });

  it('a new verifier (and challenge) for every authorization request', async () => {
    const client = createOAuthClient({ serverUrl: `${ORIGIN}/mcp`, fetch: server().fetch });
    const requests = [];
    for (let i = 0; i < 3; i++)
      requests.push(await client.beginAuthorization({ redirectUri: 'http://127.0.0.1:9/cb' }));
    const verifiers = new Set(requests.map((r) => r.pending.codeVerifier));
    const challenges = new Set(
      requests.map((r) => new URL(r.authorizationUrl).searchParams.get('code_challenge')),
    );
    expect(verifiers.size).toBe(3);
    expect(challenges.size).toBe(3);
  });
});
