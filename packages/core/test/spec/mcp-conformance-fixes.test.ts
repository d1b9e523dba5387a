// Behaviours the MCP conformance referee (test/conformance) found missing or wrong.
import { describe, expect, it } from 'vitest';
import type { AuthorizationServerMetadata } from '../../src/discovery/authorization-server.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { chooseInteraction } from '../../src/flow/choose-interaction.ts';
import type { FlowContext } from '../../src/flow/context.ts';
import { discover } from '../../src/flow/discover.ts';
import { clientCredentials } from '../../src/interaction/client-credentials-interaction.ts';
import { deviceInteraction } from '../../src/interaction/device-interaction.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { clientSecretBasic } from '../../src/registration/client-auth.ts';
import { registerDynamically } from '../../src/registration/dynamic-registration.ts';
import { flowContext } from '../support/context.ts';

type Route = (request: Request) => Response | Promise<Response>;

function context(routes: Record<string, Route>, seen: string[] = []): FlowContext {
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    seen.push(`${request.method} ${url.pathname}`);
    const route = routes[`${request.method} ${url.pathname}`];
    return route ? route(request) : new Response('not found', { status: 404 });
  };
  return flowContext(fetch);
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const ORIGIN = 'http://127.0.0.1:7';
const as = (extra: Partial<AuthorizationServerMetadata> = {}): AuthorizationServerMetadata => ({
  issuer: ORIGIN,
  authorization_endpoint: `${ORIGIN}/authorize`,
  token_endpoint: `${ORIGIN}/token`,
  registration_endpoint: `${ORIGIN}/register`,
  code_challenge_methods_supported: ['S256'],
  ...extra,
});

describe('client_secret_basic (RFC 6749 §2.3.1)', () => {
  const header = async (id: string, secret: string) => {
    const headers = new Headers();
    await clientSecretBasic(secret)({} as never, { client_id: id }, new URLSearchParams(), headers);
    return atob((headers.get('authorization') ?? '').replace(/^Basic /, ''));
  };

  it('leaves unreserved characters as they are (servers that do not decode accept it)', async () => {
    expect(await header('pre-registered-client', 'a.b_c~d*')).toBe(
      'pre-registered-client:a.b_c%7Ed*',
    );
  });

  it('form-urlencodes the rest, so a colon in the id cannot split it', async () => {
    expect(await header('id:with space', 'p@ss:wörd')).toBe('id%3Awith+space:p%40ss%3Aw%C3%B6rd');
  });
});

describe('dynamic registration without client_secret_expires_at (RFC 7591 §3.2.1)', () => {
  it('reads the omission as "does not expire" instead of refusing the registration', async () => {
    const ctx = context({
      'POST /register': () =>
        json(
          { client_id: 'c1', client_secret: 's1', redirect_uris: ['http://127.0.0.1:9/cb'] },
          201,
        ),
    });
    const record = await registerDynamically(
      ctx,
      as(),
      {},
      ['http://127.0.0.1:9/cb'],
      ['authorization_code'],
    );
    expect(record.clientId).toBe('c1');
    expect(record.clientSecret).toBe('s1');
    expect(record.clientSecretExpiresAt).toBeUndefined();
  });
});

describe('chooseInteraction', () => {
  const credentials = { clientId: 'c', clientSecret: 's' };
  const redirect = headlessInteraction({ redirectUri: 'http://127.0.0.1:9/cb' });
  const machine = clientCredentials();
  const device = deviceInteraction({ prompt: () => {} });

  it('takes client credentials when the server offers only that and the client has credentials', () => {
    expect(
      chooseInteraction(
        [redirect, machine],
        as({ grant_types_supported: ['client_credentials'] }),
        credentials,
      ),
    ).toBe(machine);
  });

  it('keeps the order of preference when the server supports the first or lists nothing', () => {
    expect(
      chooseInteraction(
        [redirect, machine],
        as({ grant_types_supported: ['authorization_code', 'client_credentials'] }),
        credentials,
      ),
    ).toBe(redirect);
    expect(chooseInteraction([redirect, machine], as(), credentials)).toBe(redirect);
    expect(
      chooseInteraction(
        [device, redirect],
        as({ grant_types_supported: ['authorization_code'] }),
        credentials,
      ),
    ).toBe(redirect);
    expect(
      chooseInteraction(
        [device, redirect],
        as({ grant_types_supported: ['urn:ietf:params:oauth:grant-type:device_code'] }),
        credentials,
      ),
    ).toBe(device);
  });

  it('skips client credentials without a secret or key, and says what is missing when nothing is left', () => {
    expect(
      chooseInteraction(
        [redirect, machine],
        as({ grant_types_supported: ['client_credentials'] }),
        { clientId: 'c' },
      ),
    ).toBe(redirect);
    expect(() => chooseInteraction([machine], as(), { clientId: 'c' })).toThrow(McpOAuthError);
    expect(() => chooseInteraction([], as(), {})).toThrow(/clientCredentials\(\)/);
  });
});

describe('MCP 2025-03-26 discovery (no protected resource metadata)', () => {
  const SERVER = `${ORIGIN}/mcp`;

  it('uses RFC 8414 metadata on the server origin, whose issuer may carry a path on that origin', async () => {
    const ctx = context({
      'GET /.well-known/oauth-authorization-server': () =>
        json({
          ...as({ issuer: `${ORIGIN}/oauth`, authorization_endpoint: `${ORIGIN}/oauth/authorize` }),
        }),
    });
    const record = await discover(ctx, SERVER);
    expect(record.legacy).toBe('2025-03-26');
    expect(record.issuer).toBe(`${ORIGIN}/oauth`);
    expect(record.resource).toBe(SERVER);
    expect(record.authorizationServerMetadata.authorization_endpoint).toBe(
      `${ORIGIN}/oauth/authorize`,
    );
  });

  it('falls back to the default endpoints /authorize, /token and /register when there is no metadata either', async () => {
    // the MCP endpoint is there, and asks for a token (without naming any metadata)
    const unauthorized = () =>
      new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
    const record = await discover(context({ 'POST /mcp': unauthorized }), SERVER);
    expect(record.issuer).toBe(ORIGIN);
    expect(record.authorizationServerMetadata).toMatchObject({
      authorization_endpoint: `${ORIGIN}/authorize`,
      token_endpoint: `${ORIGIN}/token`,
      registration_endpoint: `${ORIGIN}/register`,
    });
    expect(record.authorizationServerMetadataUrl).toBe('');
  });

  it('still assumes the default endpoints for a legacy HTTP+SSE endpoint (GET only: its POST answers 404)', async () => {
    const stream = () =>
      new Response('event: endpoint\ndata: /messages\n\n', {
        headers: { 'content-type': 'text/event-stream' },
      });
    const record = await discover(context({ 'GET /mcp': stream }), SERVER);
    expect(record.authorizationServerMetadata.registration_endpoint).toBe(`${ORIGIN}/register`);
  });

  it('is not used for an MCP endpoint that is not there (404): a wrong URL, said so', async () => {
    const error = await discover(context({}), SERVER).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'resource_metadata_invalid')).toBe(true);
    expect((error as McpOAuthError).status).toBe(404);
    expect((error as Error).message).toMatch(/there is no MCP server at this URL; check it\.$/);
  });

  it('refuses origin metadata that names an issuer on another origin', async () => {
    const ctx = context({
      'GET /.well-known/oauth-authorization-server': () =>
        json(as({ issuer: 'https://elsewhere.example' })),
    });
    const error = await discover(ctx, SERVER).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'issuer_mismatch')).toBe(true);
  });

  it('is not used when a challenge named resource metadata that cannot be fetched', async () => {
    const error = await discover(context({}), SERVER, {
      resourceMetadataUrl: `${ORIGIN}/.well-known/oauth-protected-resource/mcp`,
    }).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'resource_metadata_invalid')).toBe(true);
  });
});

describe('authorization server migration (SEP-2352)', () => {
  it('notices that the resource metadata no longer lists the issuer the tokens came from', async () => {
    const { createSession } = await import('../../src/session/session.ts');
    const { authorizationServerMoved } = await import('../../src/session/authorize.ts');
    let servers = [ORIGIN];
    const ctx = context({
      'GET /.well-known/oauth-protected-resource/mcp': () =>
        json({ resource: `${ORIGIN}/mcp`, authorization_servers: servers }),
      'GET /.well-known/oauth-authorization-server': () => json(as()),
    });
    const session = createSession(ctx, {
      serverUrl: `${ORIGIN}/mcp`,
      config: {},
      refreshSkewMs: 0,
      lockTtlMs: 1000,
      lockTimeoutMs: 1000,
    });
    await discover(ctx, `${ORIGIN}/mcp`);
    expect(await authorizationServerMoved(session)).toBe(false);
    servers = ['https://new-as.example'];
    expect(await authorizationServerMoved(session)).toBe(true);
  });
});
