// Workload identity federation: the platform's JWT as an RFC 7523 JWT bearer assertion.
import { describe, expect, it } from 'vitest';
import { McpOAuthError } from '../../src/errors/error.ts';
import type { GrantArgs } from '../../src/grants/grant-args.ts';
import { workloadIdentity } from '../../src/interaction/workload-identity.ts';
import { flowContext } from '../support/context.ts';
import { fakeServer, json } from '../support/fake-server.ts';

const AS = 'http://127.0.0.1:7';
const RESOURCE = 'http://127.0.0.1:6/mcp';

const args: GrantArgs = {
  as: { issuer: AS, token_endpoint: `${AS}/token` },
  client: {
    v: 1,
    kind: 'client',
    issuer: AS,
    source: 'pre-registered',
    clientId: 'billing-agent',
    tokenEndpointAuthMethod: 'none',
    redirectUris: [],
    grantTypes: ['urn:ietf:params:oauth:grant-type:jwt-bearer'],
    registeredAt: 0,
  },
  config: { clientId: 'billing-agent' },
  resource: RESOURCE,
  resourceMetadata: { resource: RESOURCE, authorization_servers: [AS] },
  scope: 'mcp:read',
};

const issued = () => json({ access_token: 'at', token_type: 'Bearer', expires_in: 60 });

describe('workloadIdentity', () => {
  it('presents the platform token as the assertion of a JWT bearer grant, as a public client', async () => {
    const server = fakeServer({ 'POST /token': issued });
    const interaction = workloadIdentity({ token: () => 'eyJ.platform-token.sig\n' });
    expect(interaction.grant.grantType).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const tokens = await interaction.grant.token(flowContext(server.fetch), args);
    expect(Object.fromEntries(server.requests[0]?.form ?? [])).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: 'eyJ.platform-token.sig', // a file's trailing newline is not part of it
      scope: 'mcp:read',
      resource: RESOURCE,
      client_id: 'billing-agent',
    });
    expect(server.requests[0]?.headers.get('authorization')).toBeNull();
    expect(tokens).toMatchObject({ issuer: AS, resource: RESOURCE, accessToken: 'at' });
  });

  it('reads the token again for every request: platform tokens rotate', async () => {
    const server = fakeServer({ 'POST /token': issued });
    let version = 0;
    const interaction = workloadIdentity({ token: async () => `eyJ.v${++version}.sig` });
    const ctx = flowContext(server.fetch);
    await interaction.grant.token(ctx, args);
    await interaction.grant.token(ctx, args);
    expect(server.requests.map((r) => r.form.get('assertion'))).toEqual([
      'eyJ.v1.sig',
      'eyJ.v2.sig',
    ]);
  });

  for (const error of ['invalid_grant', 'invalid_scope', 'unauthorized_client']) {
    it(`reports ${error} as it is, after one request, without the assertion`, async () => {
      const server = fakeServer({
        'POST /token': () => json({ error, error_description: 'no' }, 400),
      });
      const interaction = workloadIdentity({ token: () => 'eyJ.secret-assertion.sig' });
      const failure = await interaction.grant
        .token(flowContext(server.fetch), args)
        .catch((e: unknown) => e);
      expect(McpOAuthError.isInstance(failure)).toBe(true);
      expect((failure as McpOAuthError).oauthError).toBe(error);
      expect(String((failure as Error).message)).not.toContain('secret-assertion');
      expect(server.requests).toHaveLength(1);
    });
  }

  it('reports an empty or failing token source as assertion_unavailable, before any request', async () => {
    const server = fakeServer({ 'POST /token': issued });
    const ctx = flowContext(server.fetch);
    for (const token of [() => '  \n', () => Promise.reject(new Error('ENOENT'))]) {
      const failure = await workloadIdentity({ token })
        .grant.token(ctx, args)
        .catch((e: unknown) => e);
      expect(McpOAuthError.is(failure, 'assertion_unavailable')).toBe(true);
    }
    expect(server.requests).toHaveLength(0);
  });
});
