// The refresh_token grant request: the resource indicator (RFC 8707 §2.2, MCP) and invalid_target.
import { describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import type { McpOAuthEvent } from '../../src/events/types.ts';
import { storeKeys } from '../../src/store/keys.ts';
import { memoryStore } from '../../src/store/memory.ts';
import { exampleAs, ISSUER, RESOURCE } from '../support/example-as.ts';
import { type FakeRoute, fakeServer, json } from '../support/fake-server.ts';
import { seedLogin } from '../support/seed.ts';

const as = exampleAs();

async function loggedIn(token: FakeRoute) {
  const server = fakeServer({ 'POST /token': token });
  const store = memoryStore();
  await seedLogin(store, {
    resource: RESOURCE,
    as,
    client: {},
    tokens: { refreshToken: 'rt-1', scope: 'mcp:read', expiresAt: Date.now() + 3_600_000 },
  });
  const events: McpOAuthEvent[] = [];
  const client = createOAuthClient({
    serverUrl: RESOURCE,
    store,
    fetch: server.fetch,
    retry: { attempts: 3, minDelayMs: 1, maxDelayMs: 1 },
    onEvent: (e) => events.push(e),
  });
  return { client, server, store, events };
}

describe('the refresh request (RFC 8707, MCP)', () => {
  it('carries resource: the resource the tokens were issued for', async () => {
    const { client, server } = await loggedIn(() =>
      json({ access_token: 'at-2', token_type: 'Bearer', expires_in: 3600 }),
    );
    await client.refresh();
    expect(server.requests).toHaveLength(1);
    const [refresh] = server.requests;
    expect(refresh?.form.get('grant_type')).toBe('refresh_token');
    expect(refresh?.form.get('refresh_token')).toBe('rt-1');
    expect(refresh?.form.getAll('resource')).toEqual([RESOURCE]);
    expect(await client.getAccessToken()).toBe('at-2');
  });

  it('invalid_target is surfaced by name and not retried; the tokens are kept', async () => {
    const { client, server, store, events } = await loggedIn(() =>
      json({ error: 'invalid_target', error_description: 'unknown resource' }, 400),
    );
    const error = await client.refresh().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'token_request_failed')).toBe(true);
    expect((error as McpOAuthError).oauthError).toBe('invalid_target');
    expect((error as Error).message).toContain('invalid_target');
    expect(server.requests).toHaveLength(1);
    expect(events.filter((e) => e.type === 'retry')).toEqual([]);
    expect(await store.get(storeKeys.tokens(ISSUER, RESOURCE))).toMatchObject({
      refreshToken: 'rt-1',
    });
  });
});
