// RFC 9449 §7.1 (RFC9449-3, OAUTH21-7): a DPoP-bound token is never presented as a Bearer token,
// even when a client without the `dpop` option finds one in a store it shares with a client
// that has it (src/fetch/authorized-fetch.ts, src/session/request-refresh.ts).
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { dpop } from '../../src/dpop/support.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';
import type { StoreRecord } from '../../src/store/types.ts';
import { initializeRequest } from './initialize-request.ts';

const interaction = () => headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' });

describe('DPoP-bound tokens in a store shared with a client without the dpop option', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ mcp: { dpop: 'accepted' } }); // takes Bearer tokens too
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('are refused with the error naming the dpop option: nothing reaches the MCP server as Bearer, no refresh without a proof', async () => {
    const store = memoryStore();
    const withDpop = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: interaction(),
      dpop: dpop(),
    });
    expect((await withDpop.fetch(stack.mcp.url, initializeRequest())).status).toBe(200);
    expect((await withDpop.status())?.tokenType).toBe('dpop');
    const [key] = await store.list('tokens:');
    const stored = (await store.get(key as string)) as StoreRecord;

    const without = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: interaction(),
    });
    const mcpRequests = stack.mcp.stats.requests;
    const asRequests = stack.as.stats.requests.total;
    const sent = await without.fetch(stack.mcp.url, initializeRequest()).catch((e: unknown) => e);
    expect(stack.mcp.stats.requests).toBe(mcpRequests);
    expect(McpOAuthError.is(sent, 'invalid_configuration')).toBe(true);
    expect((sent as McpOAuthError).details.option).toBe('dpop');
    expect((sent as McpOAuthError).message).toContain('set the dpop option');

    // nor is the DPoP-bound refresh token sent without a proof (invalid_grant would delete it)
    const refreshed = await without.refresh().catch((e: unknown) => e);
    expect(McpOAuthError.is(refreshed, 'invalid_configuration')).toBe(true);
    expect((refreshed as McpOAuthError).details.option).toBe('dpop');
    expect(stack.as.stats.requests.total).toBe(asRequests);
    expect(await store.get(key as string)).toEqual(stored);

    // the client with DPoP goes on with the same tokens
    expect((await withDpop.fetch(stack.mcp.url, initializeRequest())).status).toBe(200);
    expect(stack.mcp.stats.dpopRejected).toBe(0);
  });
});
