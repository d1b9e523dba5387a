// MCP scope selection: "Clients MUST treat the scopes provided in the challenge as authoritative
// for the current operation." The `scopes` option never replaces the scope of a 401 or 403 that
// answered a request: the re-authorization asks for the challenge's scopes, those held and the
// option's, and the request is replayed with the new token.
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import type { McpOAuthEvent } from '../../src/events/types.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';
import { initializeRequest } from './initialize-request.ts';

const toolCall = (name: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  body: JSON.stringify({
    jsonrpc: '2.0',
    id: 2,
    method: 'tools/call',
    params: { name, arguments: {} },
  }),
});

function clientOf(serverUrl: string, options: { maxStepUps?: number } = {}) {
  const events: McpOAuthEvent[] = [];
  const client = createOAuthClient({
    serverUrl,
    store: memoryStore(),
    scopes: ['mcp:read'],
    interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
    onEvent: (event) => events.push(event),
    ...options,
  });
  const asked = () =>
    events.flatMap((e) => (e.type === 'authorization_started' ? [e.scope?.split(' ')] : []));
  return { client, events, asked };
}

describe('the challenge is authoritative over the scopes option (MCP scope selection)', () => {
  describe('a server whose every request needs mcp:admin (401 with scope="mcp:admin")', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({ mcp: { requiredScopes: ['mcp:admin'] } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('a 401 to a request: one authorization asks for mcp:admin with mcp:read, and the replay succeeds', async () => {
      // no step-up allowed: the authorization the 401 started must be enough on its own
      const { client, asked } = clientOf(stack.mcp.url, { maxStepUps: 0 });
      const authorizations = stack.as.stats.authorizations;
      const response = await client.fetch(stack.mcp.url, initializeRequest());
      expect(response.status).toBe(200);
      expect(asked()).toEqual([expect.arrayContaining(['mcp:admin', 'mcp:read'])]);
      expect(stack.as.stats.authorizations).toBe(authorizations + 1);
      expect((await client.status())?.scope?.split(' ')).toEqual(
        expect.arrayContaining(['mcp:admin', 'mcp:read']),
      );
    });

    it('no request, no challenge: a login asks for the scopes option only', async () => {
      const { client, asked } = clientOf(stack.mcp.url);
      await client.authorize();
      expect(asked()).toEqual([['mcp:read', 'offline_access']]);
    });
  });

  describe('a tool that needs mcp:admin (403 insufficient_scope)', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack();
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('the step-up asks for mcp:admin with the scopes held, and the replayed call succeeds', async () => {
      const { client, events, asked } = clientOf(stack.mcp.url);
      await client.authorize();
      expect((await client.status())?.scope).toBe('mcp:read');
      const response = await client.fetch(stack.mcp.url, toolCall('admin_reset'));
      expect(response.status).toBe(200);
      const body = (await response.json()) as { result?: { isError?: boolean } };
      expect(body.result?.isError).not.toBe(true);
      expect(events.filter((e) => e.type === 'step_up')).toHaveLength(1);
      expect(asked()[1]).toEqual(expect.arrayContaining(['mcp:admin', 'mcp:read']));
      expect((await client.status())?.scope?.split(' ')).toEqual(
        expect.arrayContaining(['mcp:admin', 'mcp:read']),
      );
    });
  });
});
