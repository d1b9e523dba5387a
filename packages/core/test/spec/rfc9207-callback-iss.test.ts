// RFC 9207 `iss` in the authorization response: compared exactly, error responses included.
import { describe, expect, it } from 'vitest';
import { buildAuthorizationRequest } from '../../src/authorization/build-url.ts';
import type { AuthorizationServerMetadata } from '../../src/discovery/authorization-server.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { exchangeAuthorizationCode } from '../../src/grants/authorization-code.ts';
import type { ClientRecord } from '../../src/store/records.ts';
import { flowContext } from '../support/context.ts';
import { fakeServer, json } from '../support/fake-server.ts';

const ISSUER = 'https://as.example/tenant';
const REDIRECT = 'http://127.0.0.1:9/callback';
const client: ClientRecord = {
  v: 1,
  kind: 'client',
  issuer: ISSUER,
  source: 'pre-registered',
  clientId: 'c',
  tokenEndpointAuthMethod: 'none',
  redirectUris: [REDIRECT],
  grantTypes: ['authorization_code'],
  registeredAt: 0,
};

/** Runs one authorization request and hands `params` (plus its state) back as the callback. */
async function callback(
  params: Record<string, string>,
  extra: Partial<AuthorizationServerMetadata> = {},
  secondIss?: string,
) {
  const server = fakeServer({
    'POST /tenant/token': () => json({ access_token: 'at', token_type: 'Bearer' }),
  });
  const ctx = flowContext(server.fetch, { randomString: () => 'x'.repeat(43) });
  const as: AuthorizationServerMetadata = {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/authorize`,
    token_endpoint: `${ISSUER}/token`,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    ...extra,
  };
  const pending = await buildAuthorizationRequest(ctx, {
    serverUrl: 'https://mcp.example/mcp',
    resource: 'https://mcp.example/mcp',
    as,
    client,
    redirectUri: REDIRECT,
    scope: undefined,
  });
  const url = new URL(REDIRECT);
  for (const [k, v] of Object.entries({ ...params, state: pending.state }))
    url.searchParams.set(k, v);
  if (secondIss !== undefined) url.searchParams.append('iss', secondIss);
  const result = await exchangeAuthorizationCode(ctx, {
    pending,
    callbackUrl: url.href,
    as,
    resourceMetadata: { resource: pending.resource, authorization_servers: [as.issuer] },
    client,
    config: {},
  }).catch((e: unknown) => e);
  return { result, tokenRequests: server.requests.length };
}

const code = (value: unknown) => (McpOAuthError.isInstance(value) ? value.code : 'tokens');

describe('iss in the authorization response (RFC 9207, MCP)', () => {
  it('the exact issuer is accepted and the code is redeemed', async () => {
    const { result, tokenRequests } = await callback({ code: 'c1', iss: ISSUER });
    expect(code(result)).toBe('tokens');
    expect(tokenRequests).toBe(1);
  });

  it.each([
    ['upper-case scheme and host', 'HTTPS://AS.EXAMPLE/tenant'],
    ['a mixed-case host', 'https://As.Example/tenant'],
    ['the default port written out', 'https://as.example:443/tenant'],
    ['a percent-encoded path character', 'https://as.example/%74enant'],
    ['a trailing slash', 'https://as.example/tenant/'],
  ])(
    'an iss that differs only by %s is refused, not normalised, and the code is not redeemed',
    async (_why, iss) => {
      const { result, tokenRequests } = await callback({ code: 'c1', iss });
      expect(code(result)).toBe('issuer_mismatch');
      expect(tokenRequests).toBe(0);
    },
  );

  it('an error response with a wrong iss is an issuer_mismatch, not the error it claims', async () => {
    const wrong = await callback({ error: 'access_denied', iss: 'https://evil.example' });
    expect(code(wrong.result)).toBe('issuer_mismatch');
    expect((wrong.result as McpOAuthError).oauthError).toBeUndefined();
    expect(String(wrong.result)).not.toContain('access_denied');
    // the same error with the right iss is the denial it reports
    const right = await callback({ error: 'access_denied', iss: ISSUER });
    expect(code(right.result)).toBe('authorization_denied');
    expect((right.result as McpOAuthError).oauthError).toBe('access_denied');
    expect(wrong.tokenRequests + right.tokenRequests).toBe(0);
  });

  it('iss is read whenever present, even from a server that does not advertise it', async () => {
    const unadvertised = { authorization_response_iss_parameter_supported: false };
    const wrong = await callback(
      { error: 'access_denied', iss: 'https://evil.example' },
      unadvertised,
    );
    expect(code(wrong.result)).toBe('issuer_mismatch');
    const success = await callback({ code: 'c1', iss: 'https://evil.example' }, unadvertised);
    expect(code(success.result)).toBe('issuer_mismatch');
    expect(success.tokenRequests).toBe(0);
  });

  it.each([
    ['does not advertise iss', false],
    ['advertises iss', true],
  ])(
    'an empty iss is present and compared (not read as absent) when the server %s',
    async (_why, advertised) => {
      const extra = { authorization_response_iss_parameter_supported: advertised };
      const success = await callback({ code: 'c1', iss: '' }, extra);
      expect(code(success.result)).toBe('issuer_mismatch');
      expect((success.result as McpOAuthError).details).toMatchObject({ parameter: 'iss' });
      expect(success.tokenRequests).toBe(0);
      const denied = await callback({ error: 'access_denied', iss: '' }, extra);
      expect(code(denied.result)).toBe('issuer_mismatch');
      expect(denied.tokenRequests).toBe(0);
    },
  );

  it('an iss given twice is refused unless every value is the issuer', async () => {
    const server = { authorization_response_iss_parameter_supported: false };
    const url = (first: string) => ({ code: 'c1', iss: first });
    // URLSearchParams.set keeps one value: append the second by hand
    const twice = await callback(url(ISSUER), server, 'https://evil.example');
    expect(code(twice.result)).toBe('issuer_mismatch');
    expect(twice.tokenRequests).toBe(0);
  });
});
