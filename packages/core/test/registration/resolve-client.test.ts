import { type StaticServer, startStaticServer } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizationServerMetadata } from '../../src/discovery/authorization-server.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import type { FlowContext } from '../../src/flow/context.ts';
import { resolveClient } from '../../src/registration/resolve-client.ts';
import { storeKeys } from '../../src/store/keys.ts';
import { flowContext } from '../support/context.ts';

const context = (): FlowContext => flowContext();

describe('client registration priority and binding', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await startStaticServer({
      routes: { 'POST /register': { status: 500 } },
    });
  });
  afterAll(async () => server?.close());

  const as = (extra: Partial<AuthorizationServerMetadata> = {}): AuthorizationServerMetadata => ({
    issuer: server.url,
    authorization_endpoint: `${server.url}/authorize`,
    token_endpoint: `${server.url}/token`,
    code_challenge_methods_supported: ['S256'],
    ...extra,
  });
  const needs = {
    redirectUri: 'http://127.0.0.1:9/cb',
    grantTypes: ['authorization_code', 'refresh_token'],
  };

  it('uses a pre-registered client first', async () => {
    const client = await resolveClient(
      context(),
      as({
        client_id_metadata_document_supported: true,
        registration_endpoint: `${server.url}/register`,
      }),
      { clientId: 'pre', clientSecret: 's', clientMetadataUrl: 'https://app.example/client.json' },
      needs,
    );
    expect(client.source).toBe('pre-registered');
    expect(client.tokenEndpointAuthMethod).toBe('client_secret_basic');
  });

  it('refuses pre-registered credentials bound to another issuer instead of sending them', async () => {
    const error = await resolveClient(
      context(),
      as(),
      { clientId: 'pre', issuer: 'https://old-issuer.example' },
      needs,
    ).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
    expect((error as Error).message).toContain('https://old-issuer.example');
  });

  it('uses a Client ID Metadata Document when the server supports it, and only then', async () => {
    const cimd = await resolveClient(
      context(),
      as({ client_id_metadata_document_supported: true }),
      { clientMetadataUrl: 'https://app.example/client.json' },
      needs,
    );
    expect(cimd.source).toBe('client-id-metadata-document');
    expect(cimd.clientId).toBe('https://app.example/client.json');
    const none = await resolveClient(
      context(),
      as(),
      { clientMetadataUrl: 'https://app.example/client.json' },
      needs,
    ).catch((e: unknown) => e);
    expect(McpOAuthError.is(none, 'registration_unsupported')).toBe(true);
  });

  it('rejects a CIMD URL that is not https with a path', async () => {
    const error = await resolveClient(
      context(),
      as({ client_id_metadata_document_supported: true }),
      { clientMetadataUrl: 'http://app.example/client.json' },
      needs,
    ).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
  });

  it('retries dynamic registration with the other application_type when redirect URI rules refuse it', async () => {
    let attempts = 0;
    server.setRoute('POST /register', () => {
      attempts++;
      return attempts === 1
        ? {
            status: 400,
            body: {
              error: 'invalid_redirect_uri',
              error_description: 'native clients need a custom scheme',
            },
          }
        : {
            status: 201,
            body: {
              client_id: 'dyn',
              redirect_uris: ['http://127.0.0.1:9/cb'],
              grant_types: ['authorization_code', 'refresh_token'],
              token_endpoint_auth_method: 'none',
            },
          };
    });
    // the application_type of each registration request, as sent
    const applicationTypes: unknown[] = [];
    const ctx = flowContext(async (input, init) => {
      const request = new Request(input, init);
      if (request.url === `${server.url}/register`)
        applicationTypes.push((await request.clone().json()).application_type);
      return globalThis.fetch(request);
    });
    const client = await resolveClient(
      ctx,
      as({ registration_endpoint: `${server.url}/register` }),
      {},
      needs,
    );
    expect(attempts).toBe(2);
    // a loopback redirect URI: native first, then web
    expect(applicationTypes).toEqual(['native', 'web']);
    expect(client.clientId).toBe('dyn');
    expect(await ctx.store.get(storeKeys.client(server.url))).toBeDefined();
  });

  it('a registration refused for other reasons is a typed error naming the way out', async () => {
    server.setRoute('POST /register', { status: 403, body: { error: 'access_denied' } });
    const error = await resolveClient(
      context(),
      as({ registration_endpoint: `${server.url}/register` }),
      {},
      needs,
    ).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'registration_failed')).toBe(true);
    expect((error as McpOAuthError).oauthError).toBe('access_denied');
    expect((error as Error).message).toMatch(/client id/);
  });

  it.each([404, 405])(
    'a registration endpoint answering %i without an OAuth error is named, with the way out',
    async (status) => {
      server.setRoute('POST /register', { status, body: 'Not Found' });
      const error = await resolveClient(
        context(),
        as({ registration_endpoint: `${server.url}/register` }),
        {},
        needs,
      ).catch((e: unknown) => e);
      expect(McpOAuthError.is(error, 'registration_failed')).toBe(true);
      const failure = error as McpOAuthError;
      expect(failure.status).toBe(status);
      expect(failure.message).toBe(
        `Dynamic client registration at ${server.url}/register failed with HTTP ${status} (not an OAuth error response). Register a client by hand and pass its client id in the \`client.clientId\` option.`,
      );
      expect(failure.details).toMatchObject({
        url: `${server.url}/register`,
        option: 'client.clientId',
      });
    },
  );

  it('sends the initial access token as a Bearer token, and a 401 names it without showing it (RFC 7591 §3)', async () => {
    const seen: (string | undefined)[] = [];
    server.setRoute('POST /register', (req) => {
      seen.push(req.headers.authorization);
      return req.headers.authorization === 'Bearer right-iat'
        ? {
            status: 201,
            body: {
              client_id: 'dyn-iat',
              redirect_uris: ['http://127.0.0.1:9/cb'],
              token_endpoint_auth_method: 'none',
            },
          }
        : {
            status: 401,
            headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
            body: { error: 'invalid_token' },
          };
    });
    const register = (initialAccessToken?: string) => {
      const ctx = context();
      const config = initialAccessToken ? { initialAccessToken } : {};
      return resolveClient(
        ctx,
        as({ registration_endpoint: `${server.url}/register` }),
        config,
        needs,
      )
        .then(async (client) => ({
          client,
          stored: await ctx.store.get(storeKeys.client(server.url)),
        }))
        .catch((e: unknown) => e as McpOAuthError);
    };
    const missing = (await register()) as McpOAuthError;
    expect(McpOAuthError.is(missing, 'registration_failed')).toBe(true);
    expect(missing.status).toBe(401);
    expect(missing.message).toMatch(/initial access token may be needed/);
    // the server's own error is kept; no other way out is named
    expect(missing.oauthError).toBe('invalid_token');
    expect(missing.details.option).toBeUndefined();
    const wrong = (await register('wrong-iat')) as McpOAuthError;
    expect(McpOAuthError.is(wrong, 'registration_failed')).toBe(true);
    expect(wrong.message).toMatch(/initial access token is not accepted/);
    expect(
      JSON.stringify([wrong, wrong.message, wrong.details, String(wrong.cause)]),
    ).not.toContain('wrong-iat');
    const ok = (await register('right-iat')) as { client: { clientId: string }; stored: unknown };
    expect(ok.client.clientId).toBe('dyn-iat');
    expect(JSON.stringify(ok.stored)).not.toContain('right-iat');
    expect(seen).toEqual([undefined, 'Bearer wrong-iat', 'Bearer right-iat']);
  });
});

describe('pre-registered clients stay with their issuer, CIMD URLs are checked', () => {
  const as = (issuer: string): AuthorizationServerMetadata => ({
    issuer,
    code_challenge_methods_supported: ['S256'],
  });
  const needs = { redirectUri: 'http://127.0.0.1:9/cb', grantTypes: ['authorization_code'] };

  it('binds a pre-registered client to the first issuer it is used with, and refuses another', async () => {
    const ctx = context();
    const first = await resolveClient(
      ctx,
      as('https://as-one.example'),
      { clientId: 'app', clientSecret: 's' },
      needs,
    );
    expect(first.issuer).toBe('https://as-one.example');
    await resolveClient(
      ctx,
      as('https://as-one.example'),
      { clientId: 'app', clientSecret: 's' },
      needs,
    );
    const moved = await resolveClient(
      ctx,
      as('https://as-two.example'),
      { clientId: 'app', clientSecret: 's' },
      needs,
    ).catch((e: unknown) => e);
    expect(McpOAuthError.is(moved, 'invalid_configuration')).toBe(true);
    expect((moved as Error).message).toContain('https://as-one.example');
    expect((moved as Error).message).not.toContain('"s"');
    // the way out, as an option another interface can name in its own words (the CLI: --client-id)
    expect((moved as McpOAuthError).details).toMatchObject({
      boundIssuer: 'https://as-one.example',
      issuer: 'https://as-two.example',
      option: 'client.clientId',
    });
    expect((moved as Error).message).toBe(
      'The client app is bound to https://as-one.example, not https://as-two.example which now protects this server: register a client with https://as-two.example and pass its id in the `client.clientId` option (or, if app is also registered there, set `client.issuer` to confirm the change).',
    );
    // an explicit issuer confirms the change
    const confirmed = await resolveClient(
      ctx,
      as('https://as-two.example'),
      { clientId: 'app', clientSecret: 's', issuer: 'https://as-two.example' },
      needs,
    );
    expect(confirmed.issuer).toBe('https://as-two.example');
  });

  it.each([
    ['http://app.example/client.json', 'https'],
    ['https://app.example/', 'path'],
    ['https://app.example/a/../client.json', 'segments'],
    ['https://app.example/client.json#x', 'fragment'],
    ['https://user:pw@app.example/client.json', 'credentials'],
    ['https://app.example/client.json?v=1', 'query'],
  ])('refuses the client metadata URL %s (%s)', async (url, why) => {
    const error = await resolveClient(
      context(),
      { ...as('https://as.example'), client_id_metadata_document_supported: true },
      { clientMetadataUrl: url },
      needs,
    ).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
    expect((error as Error).message).toContain(
      why === 'segments' ? '..' : why === 'credentials' ? 'credentials' : why,
    );
  });
});
