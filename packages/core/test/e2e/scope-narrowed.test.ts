// A grant narrower than asked is reported (DESIGN: capabilities are agreed by both servers).
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import type { McpOAuthEvent } from '../../src/events/types.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';

describe('scope_narrowed', () => {
  let stack: Stack;
  beforeAll(async () => {
    // the authorization server does not offer mcp:write: asked for, it is dropped
    stack = await startStack({ as: { scopes: ['openid', 'offline_access', 'mcp:read'] } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const authorize = async (scopes: string[]) => {
    const events: McpOAuthEvent[] = [];
    const client = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      scopes,
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
      onEvent: (event) => events.push(event),
    });
    const info = await client.authorize();
    return { info, events: events.filter((e) => e.type === 'scope_narrowed') };
  };

  it('names the scopes asked for and not granted, and no secret', async () => {
    const { info, events } = await authorize(['mcp:read', 'mcp:write']);
    expect(info.scope).toBe('mcp:read');
    expect(events).toEqual([
      {
        type: 'scope_narrowed',
        issuer: stack.as.issuer,
        resource: stack.mcp.url,
        // offline_access was added (the server lists it) and counts as granted: a refresh token came
        requested: ['mcp:read', 'mcp:write', 'offline_access'],
        granted: ['mcp:read'],
        missing: ['mcp:write'],
      },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/eyJ|refresh_token|access_token/);
  });

  it('is not emitted when every scope asked for was granted', async () => {
    const { info, events } = await authorize(['mcp:read']);
    expect(info.scope).toBe('mcp:read');
    expect(events).toEqual([]);
  });
});
