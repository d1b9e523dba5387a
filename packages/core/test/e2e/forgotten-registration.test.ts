import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import type { OAuthClientOptions } from '../../src/client/types.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import type { McpOAuthEvent } from '../../src/events/types.ts';
import type { FetchLike } from '../../src/http/types.ts';
import { deviceInteraction } from '../../src/interaction/device-interaction.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import type { RedirectInteraction } from '../../src/interaction/types.ts';
import { memoryStore } from '../../src/store/memory.ts';
import type { StoreRecord, TokenStore } from '../../src/store/types.ts';

const REDIRECT = 'http://127.0.0.1:9/callback';
const interaction = () => headlessInteraction({ redirectUri: REDIRECT });
const HOUR = 60 * 60 * 1000;

/**
 * An authorization server that forgets the client registrations it holds in memory (a restart,
 * registrations past their lifetime, an admin deleting them): a dynamic registration is
 * dropped and made again, once; a client the application configured is a typed error.
 */
describe('a client registration the authorization server forgot', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A client on a fresh store, with a clock that can be moved past the tokens' expiry. */
  function setup(options: Partial<OAuthClientOptions> = {}) {
    const store = options.store ?? memoryStore();
    const events: McpOAuthEvent[] = [];
    const clock = { offset: 0 };
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      interaction: interaction(),
      now: () => Date.now() + clock.offset,
      onEvent: (e) => events.push(e),
      ...options,
      store,
    });
    const clientKey = () => `client:${stack.as.issuer}`;
    const storedClient = async () => (await store.get(clientKey())) as StoreRecord | undefined;
    const storedTokens = async () => {
      const [key] = await store.list('tokens:');
      return key ? ((await store.get(key)) as StoreRecord) : undefined;
    };
    return { store, events, clock, oauth, storedClient, storedTokens, clientKey };
  }

  it('a refresh answered invalid_client drops the registration and its tokens (login needed)', async () => {
    const withLogin = setup();
    await withLogin.oauth.authorize();
    const client = await withLogin.storedClient();
    const tokens = await withLogin.storedTokens();
    expect(client?.clientId).toEqual(expect.any(String));
    await stack.as.forgetClients();

    const error = await withLogin.oauth.refresh().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'reauthorization_required'), String(error)).toBe(true);
    const failure = error as McpOAuthError;
    expect(failure.oauthError).toBe('invalid_client');
    expect(failure.details).toMatchObject({
      registrationDropped: true,
      clientId: client?.clientId,
    });
    expect(failure.message).toContain(String(client?.clientId));
    expect(await withLogin.storedClient()).toBeUndefined();
    expect(await withLogin.storedTokens()).toBeUndefined();
    expect(withLogin.events).toContainEqual({
      type: 'registration_dropped',
      issuer: stack.as.issuer,
      clientId: client?.clientId,
      reason: 'invalid_client',
    });
    expect(withLogin.events).toContainEqual(
      expect.objectContaining({ type: 'tokens_deleted', reason: 'invalid_client' }),
    );
    // no secret in any event or message
    const said = JSON.stringify(withLogin.events) + failure.message;
    for (const secret of [
      tokens?.accessToken,
      tokens?.refreshToken,
      client?.registrationAccessToken,
      client?.clientSecret,
    ].filter((s): s is string => typeof s === 'string'))
      expect(said).not.toContain(secret);
  });

  it('getAccessToken after the server forgot the client registers again, once, without the caller doing anything', async () => {
    const { oauth, events, clock, storedClient } = setup();
    await oauth.authorize();
    const before = await storedClient();
    await stack.as.forgetClients();
    clock.offset = 2 * HOUR; // the access token is due: a refresh, answered invalid_client

    const token = await oauth.getAccessToken();
    expect(token).toEqual(expect.any(String));
    const after = await storedClient();
    expect(after?.clientId).toEqual(expect.any(String));
    expect(after?.clientId).not.toBe(before?.clientId);
    expect(events.filter((e) => e.type === 'registration_dropped')).toHaveLength(1);
    expect(
      events.filter((e) => e.type === 'registered' && e.source === 'dynamic-registration'),
    ).toHaveLength(2);
    expect((await oauth.status())?.clientId).toBe(after?.clientId);
  });

  it('authorize confirms a stored registration with RFC 7592 first: a forgotten one is dropped and made again', async () => {
    const { oauth, events, storedClient } = setup();
    await oauth.authorize();
    const before = await storedClient();
    expect(before?.registrationClientUri).toEqual(expect.any(String));
    await stack.as.forgetClients();

    // before: the person was sent to an error page (unknown client_id), and nothing came back
    const info = await oauth.authorize();
    const after = await storedClient();
    expect(info.clientId).toBe(after?.clientId);
    expect(after?.clientId).not.toBe(before?.clientId);
    expect(events).toContainEqual({
      type: 'registration_dropped',
      issuer: stack.as.issuer,
      clientId: before?.clientId,
      reason: 'registration_unknown',
    });
  });

  it('the confirmation costs no request on the refresh path, one at an interactive start', async () => {
    const reads: string[] = [];
    let registrationUri = '';
    const counting: FetchLike = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (registrationUri && url === registrationUri && (init?.method ?? 'GET') === 'GET')
        reads.push(url);
      return fetch(input, init);
    };
    const { oauth, storedClient } = setup({ fetch: counting });
    await oauth.authorize();
    registrationUri = String((await storedClient())?.registrationClientUri);
    await oauth.refresh();
    await oauth.getAccessToken();
    expect(reads).toHaveLength(0);
    await oauth.authorize();
    expect(reads).toHaveLength(1);
  });

  it('a device authorization answered invalid_client drops the registration and runs the flow again, once', async () => {
    const store = memoryStore();
    const first = setup({ store });
    await first.oauth.authorize();
    // a registration without RFC 7592 credentials (nothing to confirm it with) that allows the device grant
    const stored = (await first.storedClient()) as StoreRecord;
    const { registrationClientUri: _u, registrationAccessToken: _t, ...withoutManagement } = stored;
    await store.set(first.clientKey(), {
      ...withoutManagement,
      grantTypes: [
        ...(stored.grantTypes as string[]),
        'urn:ietf:params:oauth:grant-type:device_code',
      ],
    });
    await stack.as.forgetClients();

    const device = setup({
      store,
      interaction: deviceInteraction({
        prompt: ({ userCode }) => {
          setTimeout(() => void stack.as.approveDevice(userCode), 100);
        },
      }),
    });
    const info = await device.oauth.authorize();
    expect(info.clientId).not.toBe(stored.clientId);
    expect(device.events).toContainEqual(
      expect.objectContaining({ type: 'registration_dropped', reason: 'invalid_client' }),
    );
  }, 30_000);

  it('registers again only once: a server that keeps forgetting ends with the error', async () => {
    let deviceEndpoint = '';
    const forgetful: FetchLike = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (deviceEndpoint && url === deviceEndpoint) await stack.as.forgetClients();
      return fetch(input, init);
    };
    const { oauth, events } = setup({
      fetch: forgetful,
      interaction: deviceInteraction({ prompt: () => {} }),
    });
    deviceEndpoint = String(
      (await oauth.discover()).authorizationServerMetadata.device_authorization_endpoint,
    );
    const error = await oauth.authorize().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'reauthorization_required'), String(error)).toBe(true);
    expect((error as McpOAuthError).details.registrationDropped).toBe(true);
    expect(events.filter((e) => e.type === 'registered')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'registration_dropped')).toHaveLength(2);
  });

  it('a code exchange answered invalid_client drops the registration and runs the flow again, once', async () => {
    const inner = interaction();
    let forget = true;
    const forgetting: RedirectInteraction = {
      ...inner,
      async authorize(args) {
        const callback = await inner.authorize(args);
        if (forget) {
          forget = false;
          await stack.as.forgetClients(); // between consent and the code exchange
        }
        return callback;
      },
    };
    const { oauth, events } = setup({ interaction: forgetting });
    const info = await oauth.authorize();
    expect(info.hasRefreshToken).toBe(true);
    expect(events.filter((e) => e.type === 'registration_dropped')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'registered')).toHaveLength(2);
  });

  it('compare before delete: a registration another process stored meanwhile is kept', async () => {
    const inner = memoryStore();
    let key = '';
    let tokenEndpoint = '';
    // while the refresh is answered invalid_client, another process registers again
    const racing: FetchLike = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const response = await fetch(input, init);
      if (url === tokenEndpoint && response.status === 401) {
        const current = (await inner.get(key)) as StoreRecord;
        await inner.set(key, { ...current, clientId: 'registered-by-another-process' });
      }
      return response;
    };
    const { oauth, events, clientKey } = setup({ store: inner as TokenStore, fetch: racing });
    await oauth.authorize();
    key = clientKey();
    tokenEndpoint = String((await oauth.discover()).authorizationServerMetadata.token_endpoint);
    await stack.as.forgetClients();
    const error = await oauth.refresh().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'reauthorization_required'), String(error)).toBe(true);
    expect(((await inner.get(key)) as StoreRecord).clientId).toBe('registered-by-another-process');
    expect(events.some((e) => e.type === 'registration_dropped')).toBe(false);
  });

  it('logout: a revocation answered invalid_client drops the registration; the tokens are deleted', async () => {
    const { oauth, events, storedClient, storedTokens } = setup();
    await oauth.authorize();
    const client = await storedClient();
    await stack.as.forgetClients();
    const result = await oauth.logout();
    expect(result.revoked).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]?.oauthError).toBe('invalid_client');
    expect(await storedTokens()).toBeUndefined();
    expect(await storedClient()).toBeUndefined();
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'registration_dropped', clientId: client?.clientId }),
    );
  });

  it('a pre-registered client the server forgot is a typed error naming the client id and the option', async () => {
    // registered out of band, as an administrator would, and configured by the application
    const metadata = (await createOAuthClient({ serverUrl: stack.mcp.url }).discover())
      .authorizationServerMetadata;
    const registered = (await (
      await fetch(String(metadata.registration_endpoint), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: [REDIRECT],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
          application_type: 'native',
        }),
      })
    ).json()) as { client_id: string };
    const { oauth, events, clock, storedTokens, storedClient } = setup({
      client: { clientId: registered.client_id },
    });
    await oauth.authorize();
    await stack.as.forgetClients();
    clock.offset = 2 * HOUR;

    const error = await oauth.getAccessToken().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_configuration'), String(error)).toBe(true);
    const failure = error as McpOAuthError;
    expect(failure.oauthError).toBe('invalid_client');
    expect(failure.details).toMatchObject({
      option: 'client.clientId',
      clientId: registered.client_id,
    });
    expect(failure.message).toContain(registered.client_id);
    expect(failure.message).toContain('client.clientId');
    // nothing of the application's is dropped, and no registration is made in its place
    expect(await storedTokens()).toBeDefined();
    expect(await storedClient()).toBeUndefined();
    expect(events.some((e) => e.type === 'registration_dropped')).toBe(false);
    expect(events.some((e) => e.type === 'registered' && e.source !== 'pre-registered')).toBe(
      false,
    );
  });
});
