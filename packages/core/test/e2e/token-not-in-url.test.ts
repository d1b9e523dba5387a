// MCP / OAuth 2.1 §5.1.1 / RFC 6750 §2.3: access tokens travel in the Authorization header, never in a URL.
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import type { FetchLike } from '../../src/http/types.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';
import type { StoreRecord } from '../../src/store/types.ts';

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'token-in-url test', version: '1' },
  },
});

describe('no token in any request URL (MCP, OAuth 2.1, RFC 6750)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('across login, MCP requests, a refresh and logout, tokens are only ever sent in headers and bodies', async () => {
    const sent: { url: string; authorization: string | null }[] = [];
    const recording: FetchLike = (input, init) => {
      const request = new Request(input, init);
      sent.push({ url: request.url, authorization: request.headers.get('authorization') });
      return fetch(input, init);
    };
    const store = memoryStore();
    const client = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      fetch: recording,
      interaction: headlessInteraction({
        redirectUri: 'http://127.0.0.1:9/callback',
        fetch: recording,
      }),
    });
    const tokens = new Set<string>();
    const remember = async () => {
      for (const key of await store.list('tokens:')) {
        const record = (await store.get(key)) as StoreRecord;
        for (const field of ['accessToken', 'refreshToken'])
          if (typeof record[field] === 'string') tokens.add(record[field] as string);
      }
    };
    const callMcp = async () => {
      const response = await client.fetch(stack.mcp.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: initialize,
      });
      await response.body?.cancel();
      return response.status;
    };

    expect(await callMcp()).toBe(200); // logs in first
    await remember();
    await client.refresh();
    await remember();
    expect(await callMcp()).toBe(200);
    await client.logout();

    expect(tokens.size).toBeGreaterThanOrEqual(3); // two access tokens and a refresh token at least
    // the MCP server got the token in the Authorization header
    const toMcp = sent.filter((s) => s.url.startsWith(stack.mcp.url) && s.authorization);
    expect(toMcp.length).toBeGreaterThanOrEqual(2);
    for (const s of toMcp) expect([...tokens]).toContain(s.authorization?.replace(/^Bearer /, ''));
    // and no URL carried any token, raw or percent-encoded
    expect(sent.length).toBeGreaterThan(5);
    for (const { url } of sent) {
      for (const token of tokens) {
        expect(url).not.toContain(token);
        expect(decodeURIComponent(url)).not.toContain(token);
        expect(url).not.toContain(encodeURIComponent(token));
      }
      expect(new URL(url).searchParams.has('access_token')).toBe(false);
    }
  });
});
