// Enterprise-managed authorization (SEP-990): RFC 8693 token exchange for an ID-JAG at the
// enterprise IdP, then the RFC 7523 JWT bearer grant at the MCP server's authorization server.
import { describe, expect, it } from 'vitest';
import type { AuthorizationServerMetadata } from '../../src/discovery/authorization-server.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { chooseInteraction } from '../../src/flow/choose-interaction.ts';
import type { GrantArgs } from '../../src/grants/grant-args.ts';
import { clientCredentials } from '../../src/interaction/client-credentials-interaction.ts';
import { enterpriseManaged } from '../../src/interaction/enterprise-managed.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { flowContext } from '../support/context.ts';
import { fakeServer, json } from '../support/fake-server.ts';

const IDP = 'http://127.0.0.1:8';
const AS = 'http://127.0.0.1:7';
const RESOURCE = 'http://127.0.0.1:6/mcp';
const ID_TOKEN = 'eyJ.the-users-id-token.sig';
const ID_JAG = 'eyJ.an-id-jag.sig';

const as: AuthorizationServerMetadata = {
  issuer: AS,
  token_endpoint: `${AS}/token`,
  grant_types_supported: ['urn:ietf:params:oauth:grant-type:jwt-bearer'],
};

const args: GrantArgs = {
  as,
  client: {
    v: 1,
    kind: 'client',
    issuer: AS,
    source: 'pre-registered',
    clientId: 'mcp-client',
    clientSecret: 'mcp-secret',
    tokenEndpointAuthMethod: 'client_secret_basic',
    redirectUris: [],
    grantTypes: ['urn:ietf:params:oauth:grant-type:jwt-bearer'],
    registeredAt: 0,
  },
  config: { clientId: 'mcp-client', clientSecret: 'mcp-secret' },
  resource: RESOURCE,
  resourceMetadata: { resource: RESOURCE, authorization_servers: [AS] },
  scope: 'chat.read chat.history',
};

function servers(idpAnswer = () => json(idJagResponse())) {
  return fakeServer({
    'GET /.well-known/oauth-authorization-server': () =>
      json({ issuer: IDP, token_endpoint: `${IDP}/oauth2/token` }),
    'POST /oauth2/token': idpAnswer,
    'POST /token': () =>
      json({ access_token: 'at-1', token_type: 'Bearer', expires_in: 300, scope: 'chat.read' }),
  });
}

const idJagResponse = (extra: Record<string, unknown> = {}) => ({
  access_token: ID_JAG,
  issued_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
  token_type: 'N_A',
  expires_in: 300,
  ...extra,
});

const idp = { issuer: IDP, clientId: 'app-at-idp' };

describe('enterpriseManaged', () => {
  it('exchanges the ID token for an ID-JAG (RFC 8693), then presents it with the JWT bearer grant (RFC 7523)', async () => {
    const server = servers();
    const interaction = enterpriseManaged({ idp, idToken: ID_TOKEN });
    const tokens = await interaction.grant.token(flowContext(server.fetch), args);

    const [discovery, exchange, bearer] = server.requests;
    expect(discovery?.url).toBe(`${IDP}/.well-known/oauth-authorization-server`);
    expect(exchange?.url).toBe(`${IDP}/oauth2/token`);
    expect(Object.fromEntries(exchange?.form ?? [])).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      requested_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
      subject_token: ID_TOKEN,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      audience: AS,
      resource: RESOURCE,
      scope: 'chat.read chat.history',
      client_id: 'app-at-idp', // a public client at the IdP
    });
    expect(bearer?.url).toBe(`${AS}/token`);
    expect(Object.fromEntries(bearer?.form ?? [])).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: ID_JAG,
      scope: 'chat.read chat.history',
      resource: RESOURCE,
    });
    expect(bearer?.headers.get('authorization')).toBe(`Basic ${btoa('mcp-client:mcp-secret')}`);
    expect(tokens).toMatchObject({
      issuer: AS,
      resource: RESOURCE,
      clientId: 'mcp-client',
      accessToken: 'at-1',
      tokenType: 'bearer',
      scope: 'chat.read',
    });
    expect(tokens.refreshToken).toBeUndefined();
  });

  it('authenticates to the IdP with its secret there, and uses the token endpoint given without discovery', async () => {
    const server = servers();
    const interaction = enterpriseManaged({
      idp: { ...idp, clientSecret: 'idp-secret', tokenEndpoint: `${IDP}/oauth2/token` },
      idToken: ID_TOKEN,
    });
    await interaction.grant.token(flowContext(server.fetch), args);
    expect(server.requests.map((r) => new URL(r.url).pathname)).toEqual([
      '/oauth2/token',
      '/token',
    ]);
    expect(server.requests[0]?.form.get('client_secret')).toBe('idp-secret');
  });

  it('asks for a current ID token on every authorization and discovers the IdP once', async () => {
    const server = servers();
    let calls = 0;
    const interaction = enterpriseManaged({ idp, getIdToken: async () => `id-token-${++calls}` });
    const ctx = flowContext(server.fetch);
    await interaction.grant.token(ctx, args);
    await interaction.grant.token(ctx, args);
    const exchanges = server.requests.filter((r) => r.form.has('subject_token'));
    expect(exchanges.map((r) => r.form.get('subject_token'))).toEqual(['id-token-1', 'id-token-2']);
    expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
  });

  it("reports the IdP's refusal as token_exchange_failed, without the ID token, and stops there", async () => {
    const server = servers(() =>
      json({ error: 'invalid_grant', error_description: 'ID token expired' }, 400),
    );
    const interaction = enterpriseManaged({ idp, idToken: ID_TOKEN });
    const error = await interaction.grant
      .token(flowContext(server.fetch), args)
      .catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'token_exchange_failed')).toBe(true);
    expect((error as McpOAuthError).oauthError).toBe('invalid_grant');
    expect(String((error as Error).message)).not.toContain(ID_TOKEN);
    expect(server.requests.some((r) => r.url === `${AS}/token`)).toBe(false);
  });

  it('refuses an exchange answer that is not an ID-JAG', async () => {
    const server = servers(() =>
      json(idJagResponse({ issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' })),
    );
    const interaction = enterpriseManaged({ idp, idToken: ID_TOKEN });
    const error = await interaction.grant
      .token(flowContext(server.fetch), args)
      .catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_response')).toBe(true);
    expect(String((error as Error).message)).not.toContain(ID_JAG);
  });

  it('reports a failing ID token source as assertion_unavailable, before any request', async () => {
    const server = servers();
    const interaction = enterpriseManaged({
      idp,
      getIdToken: () => {
        throw new Error('signed out');
      },
    });
    const error = await interaction.grant
      .token(flowContext(server.fetch), args)
      .catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'assertion_unavailable')).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses an IdP on plain http off loopback', async () => {
    const interaction = enterpriseManaged({
      idp: { issuer: 'http://idp.example.com', clientId: 'x' },
      idToken: ID_TOKEN,
    });
    const error = await interaction.grant
      .token(flowContext(servers().fetch), args)
      .catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'insecure_url')).toBe(true);
  });

  it('needs the IdP, its client id and an ID token source', () => {
    expect(() => enterpriseManaged({ idp: { issuer: IDP } } as never)).toThrow(McpOAuthError);
    expect(() => enterpriseManaged({ idp } as never)).toThrow(/idToken or getIdToken/);
  });

  it('is chosen where the server takes only the JWT bearer grant, and only with a pre-registered client', () => {
    const redirect = headlessInteraction({ redirectUri: 'http://127.0.0.1:9/cb' });
    const enterprise = enterpriseManaged({ idp, idToken: ID_TOKEN });
    const all = [redirect, clientCredentials(), enterprise];
    expect(chooseInteraction(all, as, { clientId: 'c', clientSecret: 's' })).toBe(enterprise);
    expect(() => chooseInteraction([enterprise], as, {})).toThrow(/client\.clientId/);
  });
});
