// revokeToken (RFC 7009) of one token: the request, and the typed failures.
import { describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { memoryStore } from '../../src/store/memory.ts';
import { exampleAs, ISSUER, RESOURCE } from '../support/example-as.ts';
import { fakeServer } from '../support/fake-server.ts';
import { seedLogin } from '../support/seed.ts';

async function loggedIn(revocation: boolean) {
  const server = fakeServer({ 'POST /revoke': () => new Response(null, { status: 200 }) });
  const store = memoryStore();
  await seedLogin(store, {
    resource: RESOURCE,
    as: exampleAs(revocation ? { revocation_endpoint: `${ISSUER}/revoke` } : {}),
    client: {},
    tokens: { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: Date.now() + 3_600_000 },
  });
  return { oauth: createOAuthClient({ serverUrl: RESOURCE, store, fetch: server.fetch }), server };
}

describe('revokeToken', () => {
  it('sends the hint given, infers it for the client’s own tokens, and sends none for another token', async () => {
    const { oauth, server } = await loggedIn(true);
    await oauth.revokeToken('other', 'refresh_token');
    await oauth.revokeToken('at-1');
    await oauth.revokeToken('someone-elses');
    expect(
      server.requests.map((r) => [r.form.get('token'), r.form.get('token_type_hint')]),
    ).toEqual([
      ['other', 'refresh_token'],
      ['at-1', 'access_token'],
      ['someone-elses', null],
    ]);
    // the stored tokens stay: logout() is what forgets them
    expect(await oauth.status()).toBeDefined();
  });

  it('without a revocation endpoint fails with revocation_failed saying so, before any request', async () => {
    const { oauth, server } = await loggedIn(false);
    const error = await oauth.revokeToken('at-1').catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'revocation_failed'), String(error)).toBe(true);
    expect((error as Error).message).toContain('no revocation endpoint');
    expect(server.requests).toEqual([]);
  });

  it('refuses an empty token', async () => {
    const { oauth } = await loggedIn(true);
    const error = await oauth.revokeToken('').catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
  });

  it('dispose with nothing in flight resolves, and the client still answers status', async () => {
    const { oauth } = await loggedIn(true);
    await oauth[Symbol.asyncDispose]();
    expect(await oauth.status()).toBeDefined();
  });
});
