// The methods porting users know from the predecessor libraries (issue 16): revoke one token,
// introspect, the header helper, status helpers, extra authorization parameters, client-side
// rate limiting and `await using`, against the real authorization and MCP servers.
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import type { OAuthClientOptions } from '../../src/client/types.ts';
import { dpop } from '../../src/dpop/support.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import type { McpOAuthEvent } from '../../src/events/types.ts';
import type { FetchLike } from '../../src/http/types.ts';
import { deviceInteraction } from '../../src/interaction/device-interaction.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';
import type { StoreRecord, TokenStore } from '../../src/store/types.ts';

const REDIRECT = 'http://127.0.0.1:9/callback';

const JSON_RPC = {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  },
  body: JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'headers-test', version: '0.0.0' },
    },
  }),
};

async function storedTokens(store: TokenStore): Promise<StoreRecord> {
  const [key] = await store.list('tokens:');
  return (await store.get(key as string)) as StoreRecord;
}

describe('client methods from the predecessor libraries', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const client = (options: Partial<OAuthClientOptions> = {}) => {
    const store = options.store ?? memoryStore();
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: headlessInteraction({ redirectUri: REDIRECT }),
      ...options,
    });
    return { oauth, store };
  };

  it('revokeToken revokes one token at the server (RFC 7009) and leaves the stored tokens; introspect sees it', async () => {
    const events: McpOAuthEvent[] = [];
    const { oauth, store } = client({ onEvent: (e) => events.push(e) });
    await oauth.authorize();
    expect((await oauth.introspect('refresh_token')).active).toBe(true);
    const refreshToken = String((await storedTokens(store)).refreshToken);
    await oauth.revokeToken(refreshToken);
    expect(await oauth.introspect('refresh_token')).toEqual({ active: false });
    // the hint was inferred (the client's own refresh token); the stored tokens stay
    expect(events.filter((e) => e.type === 'revoked')).toEqual([
      { type: 'revoked', issuer: stack.as.issuer, tokenTypeHint: 'refresh_token' },
    ]);
    expect(JSON.stringify(events)).not.toContain(refreshToken);
    expect(await oauth.status()).toBeDefined();
  });

  it('introspect on the client is the management export: one implementation', async () => {
    const { oauth } = client();
    await oauth.authorize();
    const { introspect } = await import('../../src/management.ts');
    const viaClient = await oauth.introspect('refresh_token');
    const viaManagement = await introspect(oauth, 'refresh_token');
    expect(viaClient.active).toBe(true);
    expect(viaClient.clientId).toBe((await oauth.status())?.clientId);
    expect(viaManagement).toEqual(viaClient);
  });

  it('authorizationHeaders authorizes a request sent without oauth.fetch', async () => {
    const { oauth } = client();
    // without the header the MCP server refuses
    expect((await fetch(stack.mcp.url, JSON_RPC)).status).toBe(401);
    const headers = await oauth.authorizationHeaders();
    expect(headers.authorization).toMatch(/^Bearer \S+$/);
    const response = await fetch(stack.mcp.url, {
      ...JSON_RPC,
      headers: { ...JSON_RPC.headers, ...headers },
    });
    expect(response.status).toBe(200);
    await response.body?.cancel();
  });

  it('authorizationHeaders refuses DPoP-bound tokens and points to oauth.fetch', async () => {
    // an MCP server that accepts DPoP, and an authorization server that offers it: tokens are bound
    const dpopStack = await startStack({ mcp: { dpop: 'accepted' } });
    try {
      const oauth = createOAuthClient({
        serverUrl: dpopStack.mcp.url,
        store: memoryStore(),
        interaction: headlessInteraction({ redirectUri: REDIRECT }),
        dpop: dpop(),
      });
      const info = await oauth.authorize();
      expect(info.tokenType.toLowerCase()).toBe('dpop');
      const error = await oauth.authorizationHeaders().catch((e: unknown) => e);
      expect(McpOAuthError.is(error, 'invalid_configuration'), String(error)).toBe(true);
      expect((error as Error).message).toContain('oauth.fetch');
    } finally {
      await dpopStack.close();
    }
  });

  it('status gives the seconds left and isExpired; hasValidTokens needs no request', async () => {
    let now = Date.now();
    const requests: string[] = [];
    const recording: FetchLike = (input, init) => {
      requests.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    };
    const { oauth, store } = client({ now: () => now, fetch: recording });
    expect(await oauth.hasValidTokens()).toBe(false);
    expect(await oauth.status()).toBeUndefined();
    await oauth.authorize();
    const seen = requests.length;
    const status = await oauth.status();
    const expiresAt = status?.expiresAt as number;
    expect(status?.isExpired).toBe(false);
    expect(status?.expiresIn).toBe(Math.floor((expiresAt - now) / 1000));
    expect(await oauth.hasValidTokens()).toBe(true);
    now = expiresAt + 1;
    expect(await oauth.status()).toMatchObject({ isExpired: true, expiresIn: 0 });
    // expired, but a refresh token gets a new one without a person
    expect(await oauth.hasValidTokens()).toBe(true);
    // the same tokens without their refresh token: nothing usable is left
    const record = await storedTokens(store);
    const [key] = await store.list('tokens:');
    const { refreshToken: _dropped, ...withoutRefresh } = record;
    await store.set(key as string, withoutRefresh);
    const fresh = createOAuthClient({ serverUrl: stack.mcp.url, store, now: () => now });
    expect(await fresh.hasValidTokens()).toBe(false);
    expect(requests).toHaveLength(seen); // none of the helpers sent a request
  });

  it('login_hint reaches the authorization server: the person signs in as that account', async () => {
    const { oauth } = client({
      scopes: ['openid', 'mcp:read'],
      authorizationParams: { login_hint: 'ada' },
    });
    await oauth.authorize();
    expect((await oauth.identity())?.subject).toBe('ada');
    // a call's parameters go over the client's
    await oauth.authorize({ authorizationParams: { login_hint: 'grace', prompt: 'login' } });
    expect((await oauth.identity())?.subject).toBe('grace');
  });

  it('beginAuthorization sends prompt, acr_values, ui_locales and other parameters, and the server accepts them', async () => {
    const { oauth } = client({ authorizationParams: { ui_locales: 'fr' } });
    const { authorizationUrl } = await oauth.beginAuthorization({
      redirectUri: REDIRECT,
      scopes: ['openid', 'mcp:read'], // oidc-provider takes acr_values only with openid
      authorizationParams: { prompt: 'consent', acr_values: 'urn:example:loa:1', display: 'page' },
    });
    const params = new URL(authorizationUrl).searchParams;
    expect(params.get('prompt')).toBe('consent');
    expect(params.get('acr_values')).toBe('urn:example:loa:1');
    expect(params.get('ui_locales')).toBe('fr');
    expect(params.get('display')).toBe('page');
    expect(params.get('code_challenge_method')).toBe('S256');
    // the real server takes the request to its interaction, not back with an error
    const response = await fetch(authorizationUrl, { redirect: 'manual' });
    const location = String(response.headers.get('location'));
    expect(location).not.toContain('error=');
    expect(location).toContain('/interaction/');
  });

  it('refuses parameters the library owns, naming them, before any request', async () => {
    const requests: string[] = [];
    const recording: FetchLike = (input, init) => {
      requests.push(String(input));
      return fetch(input, init);
    };
    const { oauth } = client({ fetch: recording });
    const error = await oauth
      .authorize({ authorizationParams: { state: 'mine', redirect_uri: 'https://evil.example' } })
      .catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_configuration'), String(error)).toBe(true);
    expect((error as McpOAuthError).details.parameters).toBe('state redirect_uri');
    expect((error as Error).message).toContain('authorizationParams');
    const begun = await oauth
      .beginAuthorization({ redirectUri: REDIRECT, authorizationParams: { code_challenge: 'x' } })
      .catch((e: unknown) => e);
    expect(McpOAuthError.is(begun, 'invalid_configuration')).toBe(true);
    expect(requests).toEqual([]);
  });

  it('rateLimit spaces the requests of a burst of logins to the authorization server', async () => {
    const asOrigin = new URL(stack.as.issuer).origin;
    const sent: { origin: string; at: number }[] = [];
    const recording: FetchLike = (input, init) => {
      sent.push({
        origin: new URL(String(input instanceof Request ? input.url : input)).origin,
        at: performance.now(),
      });
      return fetch(input, init);
    };
    const requestsPerSecond = 20;
    const { oauth } = client({ fetch: recording, rateLimit: { requestsPerSecond, burst: 1 } });
    for (let i = 0; i < 3; i++) await oauth.authorize({ scopes: ['mcp:read'] });
    const toAs = sent.filter((s) => s.origin === asOrigin).map((s) => s.at);
    expect(toAs.length).toBeGreaterThanOrEqual(4); // metadata, registration, 3 code exchanges
    // with a burst of 1, the n-th request leaves no sooner than (n - 1) / rate after the first
    // (a lower bound only; 10% under it for timer rounding)
    const elapsed = (toAs.at(-1) as number) - (toAs[0] as number);
    expect(elapsed).toBeGreaterThanOrEqual(((toAs.length - 1) / requestsPerSecond) * 1000 * 0.9);
    for (let i = 1; i < toAs.length; i++)
      expect((toAs[i] as number) - (toAs[i - 1] as number)).toBeGreaterThanOrEqual(
        (1000 / requestsPerSecond) * 0.9,
      );
  });

  it('rejects a rateLimit that is not a positive rate', () => {
    expect(() => client({ rateLimit: { requestsPerSecond: 0 } })).toThrow(
      /rateLimit.requestsPerSecond/,
    );
  });

  it('await using: disposing ends device polling and waits for the authorization to settle', async () => {
    let prompted!: () => void;
    const promptShown = new Promise<void>((resolve) => {
      prompted = resolve;
    });
    let outcome: unknown;
    {
      await using oauth = createOAuthClient({
        serverUrl: stack.mcp.url,
        store: memoryStore(),
        // the person never approves: without dispose, polling would go on until the code expires
        interaction: deviceInteraction({ prompt: () => prompted() }),
      });
      void oauth.authorize().then(
        () => {
          outcome = 'authorized';
        },
        (e: unknown) => {
          outcome = e;
        },
      );
      await promptShown;
    }
    // the scope's end awaited dispose, which waited for the authorization to settle
    expect(McpOAuthError.isInstance(outcome), String(outcome)).toBe(true);
  });

  it('dispose waits for a refresh started just before it', async () => {
    const { oauth } = client();
    await oauth.authorize();
    let settled = false;
    const refreshing = oauth.refresh().finally(() => {
      settled = true;
    });
    await oauth[Symbol.asyncDispose]();
    // the refresh ended (done, or aborted by the dispose) before dispose resolved
    expect(settled).toBe(true);
    await refreshing.catch((e: unknown) => {
      expect(McpOAuthError.isInstance(e), String(e)).toBe(true);
    });
  });
});
