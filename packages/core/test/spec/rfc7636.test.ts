// RFC 7636 §4.5: the token request carries the code_verifier whose S256 challenge went out in
// the authorization request.
import { calculatePKCECodeChallenge } from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { fakeServer, json } from '../support/fake-server.ts';

const ORIGIN = 'https://mcp.example';
const ISSUER = 'https://as.example';

describe('PKCE in the token request (RFC 7636 §4.5)', () => {
  it('sends the code_verifier of this authorization request, whose S256 challenge the server saw', async () => {
    const server = fakeServer({
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
      'POST /token': () => json({ access_token: 'at-1', token_type: 'Bearer', expires_in: 60 }),
    });
    const client = createOAuthClient({ serverUrl: `${ORIGIN}/mcp`, fetch: server.fetch });
    const { authorizationUrl, pending } = await client.beginAuthorization({
      redirectUri: 'http://127.0.0.1:9/callback',
    });
    const challenge = new URL(authorizationUrl).searchParams.get('code_challenge');
    await client.completeAuthorization(
      pending,
      `http://127.0.0.1:9/callback?code=c1&state=${pending.state}`,
    );
    const token = server.requests.find((r) => r.url === `${ISSUER}/token`);
    const verifier = token?.form.get('code_verifier') ?? '';
    expect(token?.form.get('grant_type')).toBe('authorization_code');
    expect(verifier).toBe(pending.codeVerifier);
    expect(verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    expect(await calculatePKCECodeChallenge(verifier)).toBe(challenge);
  });
});
