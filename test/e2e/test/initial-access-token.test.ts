import { createOAuthClient, McpOAuthError, type McpOAuthEvent, memoryStore } from '@mcp-oauth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSdk, type Stack, startStack, textOf } from '../src/harness.ts';
import { approve } from '../src/interactions.ts';

const INITIAL_ACCESS_TOKEN = 'iat-e2e-required-token-0123456789';
const WRONG_TOKEN = 'iat-e2e-wrong-token-9876543210';

describe('an authorization server requiring an initial access token for registration (RFC 7591 §3)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ as: { initialAccessToken: INITIAL_ACCESS_TOKEN } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Logs in with `initialAccessToken` (or none); the error, the events and the store. */
  async function login(initialAccessToken?: string) {
    const store = memoryStore();
    const events: McpOAuthEvent[] = [];
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: approve(),
      client: initialAccessToken ? { initialAccessToken } : {},
      onEvent: (e) => events.push(e),
    });
    stack.as.resetStats();
    const error = await oauth.authorize().then(
      () => undefined,
      (e: unknown) => e,
    );
    return { oauth, store, events, error };
  }

  it('without the token: a typed registration_failed saying one may be needed, and no authorization request', async () => {
    const { error, events } = await login();
    expect(McpOAuthError.is(error, 'registration_failed'), String(error)).toBe(true);
    const failure = error as McpOAuthError;
    expect(failure.status).toBe(401);
    expect(failure.message).toMatch(/initial access token may be needed/);
    expect(stack.as.stats.registrations).toBe(0);
    expect(stack.as.stats.requests.byPath['/reg']).toBe(1);
    expect(stack.as.stats.requests.byPath['/auth']).toBeUndefined();
    expect(stack.as.stats.authorizations).toBe(0);
    expect(events.map((e) => e.type)).not.toContain('authorization_started');
  });

  it('with a wrong token: a typed registration_failed saying it is not accepted, the token nowhere', async () => {
    const { error, events, store } = await login(WRONG_TOKEN);
    expect(McpOAuthError.is(error, 'registration_failed'), String(error)).toBe(true);
    const failure = error as McpOAuthError;
    expect(failure.status).toBe(401);
    expect(failure.oauthError).toBe('invalid_token');
    expect(failure.message).toMatch(/initial access token is not accepted/);
    expect(stack.as.stats.requests.byPath['/auth']).toBeUndefined();
    expect(events.map((e) => e.type)).not.toContain('authorization_started');
    const cause = failure.cause as Error | undefined;
    const seen = JSON.stringify({
      message: failure.message,
      string: String(failure),
      stack: failure.stack,
      details: failure.details,
      oauthErrorDescription: failure.oauthErrorDescription,
      error: failure,
      cause: cause && { message: cause.message, stack: cause.stack, own: { ...cause } },
      events,
      records: await Promise.all((await store.list()).map((key) => store.get(key))),
    });
    expect(seen).not.toContain(WRONG_TOKEN);
  });

  it('with the right token: registers, logs in, and a tool call works through the official SDK; the token is not stored', async () => {
    const { oauth, store, events, error } = await login(INITIAL_ACCESS_TOKEN);
    expect(error).toBeUndefined();
    expect(stack.as.stats.registrations).toBe(1);
    expect(events.map((e) => e.type)).toContain('authorized');
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'with iat' } }))).toBe(
      'with iat',
    );
    await sdk.close();
    const [clientKey] = await store.list('client:');
    const client = clientKey ? await store.get(clientKey) : undefined;
    expect(client).toMatchObject({ kind: 'client', source: 'dynamic-registration' });
    const records = await Promise.all((await store.list()).map((key) => store.get(key)));
    expect(JSON.stringify(records)).not.toContain(INITIAL_ACCESS_TOKEN);
    expect(JSON.stringify(events)).not.toContain(INITIAL_ACCESS_TOKEN);
  });
});
