import {
  createOAuthClient,
  McpOAuthError,
  type McpOAuthErrorCode,
  memoryStore,
  type RedirectInteraction,
  type TokenStore,
} from '@mcp-oauth/core';
import {
  completeAuthorization,
  repeatedBody,
  type StaticRoute,
  type StaticServer,
  startStaticServer,
} from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingFetch, type Stack, startStack } from '../src/harness.ts';

/** A redirect interaction that records whether it was ever asked to authorize. */
function spyInteraction(rewrite: (callback: URL) => void = () => {}) {
  const calls: string[] = [];
  const interaction: RedirectInteraction = {
    kind: 'redirect',
    prepare: async () => ({ redirectUri: 'http://127.0.0.1:9/callback' }),
    authorize: async ({ authorizationUrl }) => {
      calls.push(authorizationUrl);
      const callback = new URL(await completeAuthorization(authorizationUrl));
      rewrite(callback);
      return callback.href;
    },
  };
  return { interaction, calls };
}

async function expectCode(
  promise: Promise<unknown>,
  code: McpOAuthErrorCode,
): Promise<McpOAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(
    McpOAuthError.isInstance(error),
    `expected McpOAuthError ${code}, got ${String(error)}`,
  ).toBe(true);
  expect((error as McpOAuthError).code).toBe(code);
  return error as McpOAuthError;
}

/** A fake MCP server + authorization server on one static origin, with the AS metadata given. */
async function brokenServer(asMetadata: (origin: string) => StaticRoute) {
  return startStaticServer({
    routes: (origin) => ({
      'POST /mcp': {
        status: 401,
        headers: {
          'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
        },
        body: {},
      },
      '/.well-known/oauth-protected-resource/mcp': {
        body: { resource: `${origin}/mcp`, authorization_servers: [origin] },
      },
      '/.well-known/oauth-authorization-server': asMetadata(origin),
    }),
  });
}

const goodAs = (origin: string) => ({
  issuer: origin,
  authorization_endpoint: `${origin}/authorize`,
  token_endpoint: `${origin}/token`,
  registration_endpoint: `${origin}/register`,
  code_challenge_methods_supported: ['S256'],
  response_types_supported: ['code'],
});

describe('bad input from servers gets a typed error, and no token is sent or lost', () => {
  let stack: Stack;
  const statics: StaticServer[] = [];
  beforeAll(async () => {
    stack = await startStack({ as: { accessTokenTtlSeconds: 60 } });
  });
  afterAll(async () => {
    await stack?.close();
    await Promise.all(statics.map((s) => s.close()));
  });

  const login = (
    serverUrl: string,
    interaction: RedirectInteraction,
    extra: Record<string, unknown> = {},
  ) =>
    createOAuthClient({ serverUrl, store: memoryStore(), interaction, ...extra }).fetch(serverUrl, {
      method: 'POST',
      body: '{}',
    });

  it('issuer mismatch: metadata naming another issuer is rejected before any authorization request', async () => {
    const server = await brokenServer((origin) => ({
      body: { ...goodAs(origin), issuer: 'https://evil.example' },
    }));
    statics.push(server);
    const spy = spyInteraction();
    const error = await expectCode(login(`${server.url}/mcp`, spy.interaction), 'issuer_mismatch');
    expect(error.message).toContain('https://evil.example');
    expect(spy.calls).toEqual([]);
    expect(server.requests.byRoute['POST /register']).toBeUndefined();
  });

  it('issuer differing by a trailing slash is refused by default and accepted with the named quirk', async () => {
    const server = await brokenServer((origin) => ({
      body: { ...goodAs(origin), issuer: `${origin}/` },
    }));
    statics.push(server);
    const error = await expectCode(
      login(`${server.url}/mcp`, spyInteraction().interaction),
      'issuer_mismatch',
    );
    expect(error.message).toContain('allowIssuerTrailingSlash');
    // with the quirk, discovery passes and the flow reaches registration (which this fake lacks)
    await expectCode(
      login(`${server.url}/mcp`, spyInteraction().interaction, {
        quirks: { allowIssuerTrailingSlash: true },
      }),
      'registration_failed',
    );
  });

  it('resource mismatch: no registration and no authorization request are made', async () => {
    const { startMcpServer } = await import('@mcp-oauth/testing');
    const mcp = await startMcpServer({
      authServer: stack.as,
      resourceOverride: 'https://other.example/mcp',
    });
    const spy = spyInteraction();
    const registrations = stack.as.stats.registrations;
    await expectCode(login(mcp.url, spy.interaction), 'resource_mismatch');
    expect(spy.calls).toEqual([]);
    expect(stack.as.stats.registrations).toBe(registrations);
    await mcp.close();
  });

  it('missing PKCE metadata is refused, naming the option; S256 is required', async () => {
    const { code_challenge_methods_supported: _, ...noPkce } = goodAs('x');
    const server = await brokenServer((origin) => ({
      body: { ...goodAs(origin), code_challenge_methods_supported: undefined },
    }));
    statics.push(server);
    expect(noPkce).not.toHaveProperty('code_challenge_methods_supported');
    const error = await expectCode(
      login(`${server.url}/mcp`, spyInteraction().interaction),
      'pkce_unsupported',
    );
    expect(error.message).toContain('assumePkceS256');
    const plainOnly = await brokenServer((origin) => ({
      body: { ...goodAs(origin), code_challenge_methods_supported: ['plain'] },
    }));
    statics.push(plainOnly);
    await expectCode(
      login(`${plainOnly.url}/mcp`, spyInteraction().interaction),
      'pkce_unsupported',
    );
  });

  it('HTML with 200 instead of resource metadata', async () => {
    const { startMcpServer } = await import('@mcp-oauth/testing');
    const mcp = await startMcpServer({
      authServer: stack.as,
      metadataBody: { contentType: 'text/html', body: '<html><body>Login</body></html>' },
    });
    const error = await expectCode(
      login(mcp.url, spyInteraction().interaction),
      'resource_metadata_invalid',
    );
    expect(error.message).toContain('text/html');
    await mcp.close();
  });

  it('oversized authorization server metadata is cut off', async () => {
    const server = await brokenServer(() => ({ body: repeatedBody(5 * 1024 * 1024, '{"x":1}') }));
    statics.push(server);
    await expectCode(
      login(`${server.url}/mcp`, spyInteraction().interaction),
      'response_too_large',
    );
  });

  it('malformed JSON metadata', async () => {
    const server = await brokenServer(() => ({ body: '{"issuer": "http://127.0.0.1' }));
    statics.push(server);
    await expectCode(
      login(`${server.url}/mcp`, spyInteraction().interaction),
      'authorization_server_metadata_invalid',
    );
  });

  it('metadata redirects are not followed: a hop to another host is never requested (SSRF)', async () => {
    // What a redirect would lead to: metadata on a host the client must not be steered to.
    const internal = await startStaticServer({
      routes: (origin) => ({
        '/.well-known/oauth-protected-resource/mcp': {
          body: { resource: `${origin}/mcp`, authorization_servers: [origin] },
        },
        '/.well-known/oauth-protected-resource': {
          body: { resource: `${origin}/mcp`, authorization_servers: [origin] },
        },
      }),
    });
    statics.push(internal);
    const redirect = (path: string): StaticRoute => ({
      status: 302,
      headers: { location: `${internal.url}${path}` },
      body: '',
    });
    const server = await startStaticServer({
      routes: (origin) => ({
        'POST /mcp': {
          status: 401,
          headers: {
            'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
          },
          body: {},
        },
        '/.well-known/oauth-protected-resource/mcp': redirect(
          '/.well-known/oauth-protected-resource/mcp',
        ),
        '/.well-known/oauth-protected-resource': redirect('/.well-known/oauth-protected-resource'),
      }),
    });
    statics.push(server);
    const spy = spyInteraction();
    const error = await expectCode(
      login(`${server.url}/mcp`, spy.interaction),
      'resource_metadata_invalid',
    );
    expect(error.message).toContain('oauth-protected-resource/mcp 302');
    expect(internal.requests.total).toBe(0);
    expect(server.requests.byRoute['GET /.well-known/oauth-protected-resource/mcp']).toBe(1);
    expect(spy.calls).toEqual([]);
  });

  it('state mismatch: the callback is rejected and the code is never redeemed', async () => {
    const before = stack.as.stats.tokenRequests.authorization_code ?? 0;
    const spy = spyInteraction((callback) => callback.searchParams.set('state', 'forged'));
    await expectCode(login(stack.mcp.url, spy.interaction), 'state_mismatch');
    expect(spy.calls).toHaveLength(1);
    expect(stack.as.stats.tokenRequests.authorization_code ?? 0).toBe(before);
  });

  it('iss mismatch (RFC 9207): a response from another issuer is rejected', async () => {
    const before = stack.as.stats.tokenRequests.authorization_code ?? 0;
    const spy = spyInteraction((callback) =>
      callback.searchParams.set('iss', 'https://attacker.example'),
    );
    await expectCode(login(stack.mcp.url, spy.interaction), 'issuer_mismatch');
    const missing = spyInteraction((callback) => callback.searchParams.delete('iss'));
    await expectCode(login(stack.mcp.url, missing.interaction), 'issuer_mismatch');
    expect(stack.as.stats.tokenRequests.authorization_code ?? 0).toBe(before);
  });

  it('token endpoint errors keep the server error apart from our code', async () => {
    const spy = spyInteraction((callback) => callback.searchParams.set('code', 'not-a-real-code'));
    const error = await expectCode(login(stack.mcp.url, spy.interaction), 'grant_rejected');
    expect(error.oauthError).toBe('invalid_grant');
    expect(error.status).toBe(400);
  });

  it('consent denied is authorization_denied with the server error', async () => {
    const denying = await startStack({ as: { denyConsent: true } });
    const error = await expectCode(
      login(denying.mcp.url, spyInteraction().interaction),
      'authorization_denied',
    );
    expect(error.oauthError).toBe('access_denied');
    await denying.close();
  });

  it('a store whose write fails: the error is loud, the new tokens are kept and saved on the next call', async () => {
    const inner = memoryStore();
    let failNext = false;
    const flaky: TokenStore = {
      ...inner,
      set: async (key, record) => {
        if (failNext && key.startsWith('tokens:')) {
          failNext = false;
          throw new McpOAuthError('store_write_failed', 'disk full (simulated by the test)');
        }
        return inner.set(key, record);
      },
    };
    const { fetch } = recordingFetch();
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: flaky,
      fetch,
      interaction: spyInteraction().interaction,
    });
    await oauth.authorize();
    const refreshes = stack.as.stats.refreshSuccess;
    const invalidGrants = stack.as.stats.invalidGrant;
    failNext = true;
    await expectCode(oauth.refresh(), 'store_write_failed');
    expect(stack.as.stats.refreshSuccess).toBe(refreshes + 1); // the server rotated the refresh token
    // the rotated tokens were not dropped: the next use saves them first, and they work
    const token = await oauth.getAccessToken();
    const stored = (await inner.get((await inner.list('tokens:'))[0] as string)) as {
      accessToken: string;
    };
    expect(stored.accessToken).toBe(token);
    await oauth.refresh(); // a stale refresh token would be invalid_grant here
    expect(stack.as.stats.invalidGrant).toBe(invalidGrants);
  });

  it('errors and events never carry tokens', async () => {
    const messages: string[] = [];
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: spyInteraction().interaction,
      onEvent: (e) => messages.push(JSON.stringify(e)),
    });
    await oauth.authorize();
    const token = await oauth.getAccessToken();
    const spy = spyInteraction((callback) => callback.searchParams.set('state', 'x'));
    const error = await login(stack.mcp.url, spy.interaction).catch((e: unknown) => e as Error);
    messages.push(String(error), JSON.stringify(error), String((error as Error).cause));
    for (const m of messages) expect(m).not.toContain(token);
  });
});
