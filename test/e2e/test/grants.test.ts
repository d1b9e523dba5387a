import { createOAuthClient, McpOAuthError, type McpOAuthEvent, memoryStore } from '@mcp-oauth/core';
import { clientCredentials } from '@mcp-oauth/core/client-credentials';
import { deviceInteraction } from '@mcp-oauth/core/device';
import {
  deleteRegistration,
  introspect,
  readRegistration,
  updateRegistration,
} from '@mcp-oauth/core/management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSdk, type Stack, startStack, textOf } from '../src/harness.ts';
import { approve } from '../src/interactions.ts';

describe('grants and token lifecycle', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      as: {
        clients: [
          {
            client_id: 'service-1',
            client_secret: 'service-secret-of-at-least-32-characters',
            grant_types: ['client_credentials'],
            response_types: [],
            redirect_uris: [],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('steps up to the scope one tool requires, with the union of scopes', async () => {
    const events: McpOAuthEvent[] = [];
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: approve(),
      onEvent: (e) => events.push(e),
    });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'before' } }))).toBe(
      'before',
    );
    const before = await oauth.status();
    expect(before?.scope).not.toContain('mcp:admin');
    const result = await sdk.callTool({ name: 'admin_reset', arguments: {} });
    expect(result.isError).not.toBe(true);
    const after = await oauth.status();
    for (const scope of (before?.scope ?? '').split(' ')) expect(after?.scope).toContain(scope);
    expect(after?.scope).toContain('mcp:admin');
    const stepUps = events.filter((e) => e.type === 'step_up');
    expect(stepUps).toHaveLength(1);
    await sdk.close();
  });

  it('gives up after the step-up cap when the server keeps asking for a scope it never grants', async () => {
    const { startMcpServer } = await import('@mcp-oauth/testing');
    const strict = await startMcpServer({
      authServer: stack.as,
      toolScopes: { add: 'mcp:unobtainable' },
    });
    try {
      const events: McpOAuthEvent[] = [];
      const oauth = createOAuthClient({
        serverUrl: strict.url,
        store: memoryStore(),
        interaction: approve(),
        onEvent: (e) => events.push(e),
        maxStepUps: 2,
      });
      const sdk = await connectSdk(strict.url, oauth.fetch);
      const error = await sdk
        .callTool({ name: 'add', arguments: { a: 1, b: 2 } })
        .catch((e: unknown) => e);
      expect(String(error)).toMatch(/step-up|unobtainable|insufficient/i);
      expect(events.filter((e) => e.type === 'step_up')).toHaveLength(2);
      expect(events.some((e) => e.type === 'failure' && e.code === 'step_up_limit_reached')).toBe(
        true,
      );
      // Repeated failure is permanent (MCP): the next call needing that scope fails at once,
      // without sending the user to consent again.
      const authorizationsBefore = events.filter((e) => e.type === 'authorization_started').length;
      const again = await sdk
        .callTool({ name: 'add', arguments: { a: 3, b: 4 } })
        .catch((e: unknown) => e);
      expect(String(again)).toMatch(/step-up|unobtainable|insufficient/i);
      expect(events.filter((e) => e.type === 'step_up')).toHaveLength(2);
      expect(events.filter((e) => e.type === 'authorization_started')).toHaveLength(
        authorizationsBefore,
      );
      expect(
        events.filter((e) => e.type === 'failure' && e.code === 'step_up_limit_reached'),
      ).toHaveLength(2);
      // Other tools keep working with the tokens held.
      expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'still' } }))).toBe(
        'still',
      );
      await sdk.close();
    } finally {
      await strict.close();
    }
  });

  it('runs the device authorization grant, approved out of band', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: deviceInteraction({
        prompt: ({ userCode, verificationUri }) => {
          expect(verificationUri).toContain(stack.as.url);
          // a person types the code on another device
          setTimeout(() => void stack.as.approveDevice(userCode), 200);
        },
      }),
    });
    const info = await oauth.authorize();
    expect(info.hasRefreshToken).toBe(true);
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'whoami', arguments: {} }))).toContain('user-1');
    await sdk.close();
  }, 30_000);

  it('uses client credentials for a machine client, with no person involved', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      client: { clientId: 'service-1', clientSecret: 'service-secret-of-at-least-32-characters' },
      interaction: clientCredentials(),
    });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'whoami', arguments: {} }))).toContain('service-1');
    const status = await oauth.status();
    expect(status?.clientId).toBe('service-1');
    expect(status?.hasRefreshToken).toBe(false);
    await sdk.close();
  });

  it('logs out: revokes at the server (verified by introspection) and deletes locally', async () => {
    const store = memoryStore();
    const oauth = createOAuthClient({ serverUrl: stack.mcp.url, store, interaction: approve() });
    await oauth.authorize();
    const refreshIntrospection = await introspect(oauth, 'refresh_token');
    expect(refreshIntrospection.active).toBe(true);
    const keys = (await store.list('tokens:')).length;
    expect(keys).toBe(1);
    const tokens = (await store.get((await store.list('tokens:'))[0] as string)) as {
      refreshToken: string;
    };
    const result = await oauth.logout();
    expect(result.revoked[0]).toBe('refresh_token');
    expect(result.warnings).toEqual([]);
    expect(await oauth.status()).toBeUndefined();
    expect(await store.list('tokens:')).toEqual([]);
    const after = await stack.as.introspect(tokens.refreshToken);
    expect(after.active).toBe(false);
  });

  it('manages its dynamic registration (RFC 7592): read, update, delete', async () => {
    const store = memoryStore();
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: approve(),
      client: { clientName: 'before' },
    });
    await oauth.authorize();
    const read = await readRegistration(oauth);
    expect(read.client_name).toBe('before');
    expect(read.client_secret).toBeUndefined();
    expect(read.registration_access_token).toBeUndefined();
    const updated = await updateRegistration(oauth, { ...read, client_name: 'after' });
    expect(updated.client_name).toBe('after');
    await deleteRegistration(oauth);
    expect(await store.list('client:')).toEqual([]);
    const error = await readRegistration(oauth).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'registration_management_failed')).toBe(true);
  });

  it('a registration the server no longer knows (401) is discarded, and the next authorization registers again', async () => {
    const store = memoryStore();
    const oauth = createOAuthClient({ serverUrl: stack.mcp.url, store, interaction: approve() });
    await oauth.authorize();
    const [clientKey] = await store.list('client:');
    expect(clientKey).toBeDefined();
    const stale = await store.get(clientKey as string);
    // The server forgets the client (deleted elsewhere); this machine still holds its record.
    await deleteRegistration(oauth);
    await store.set(clientKey as string, stale as NonNullable<typeof stale>);
    const error = await readRegistration(oauth).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'registration_management_failed')).toBe(true);
    expect((error as McpOAuthError).status).toBe(401);
    expect((error as McpOAuthError).details.registrationDiscarded).toBe(true);
    expect(await store.list('client:')).toEqual([]);
    // A DELETE answered 401 has nothing left to delete: it succeeds.
    await store.set(clientKey as string, stale as NonNullable<typeof stale>);
    await deleteRegistration(oauth);
    expect(await store.list('client:')).toEqual([]);
    // Authorizing again registers a new client, which works.
    await oauth.logout({ revoke: false });
    await oauth.authorize();
    const fresh = await store.get(clientKey as string);
    expect((fresh as { clientId?: string }).clientId).not.toBe(
      (stale as { clientId?: string }).clientId,
    );
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'again' } }))).toBe(
      'again',
    );
    await sdk.close();
  });
});
