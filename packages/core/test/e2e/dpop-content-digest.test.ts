import { type Stack, startStack } from '@mcp-oauth/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { contentDigest } from '../../src/dpop/content-digest.ts';
import { dpop } from '../../src/dpop/support.ts';
import type { FetchLike } from '../../src/http/types.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';

/** What the MCP DPoP profile asks for, computed here independently of the code under test. */
async function expectedDigest(body: string): Promise<string> {
  const hash = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)),
  );
  return `sha-256=:${Buffer.from(hash).toString('base64')}:`;
}

interface Sent {
  url: string;
  method: string;
  proof: Record<string, unknown> | undefined;
  body: string;
}

/** A fetch that records each request's DPoP proof claims and body bytes, and can answer a request itself. */
function recording(intercept?: (sent: Sent) => Response | undefined) {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const proof = request.headers.get('dpop');
    const entry: Sent = {
      url: request.url,
      method: request.method,
      proof: proof ? decodeJwt(proof) : undefined,
      body: await request.clone().text(),
    };
    sent.push(entry);
    return intercept?.(entry) ?? globalThis.fetch(request);
  };
  return { fetch, sent };
}

const JSON_RPC_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

describe('content_digest in DPoP proofs (MCP DPoP profile)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ mcp: { dpop: 'required' } }); // refuses a proof whose content_digest is not the body's
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is sha-256=:<base64 of SHA-256>: of the bytes, over zero bytes without a body', async () => {
    expect(await contentDigest('{"jsonrpc":"2.0","method":"tools/list","id":1}')).toBe(
      await expectedDigest('{"jsonrpc":"2.0","method":"tools/list","id":1}'),
    );
    expect(await contentDigest(undefined)).toBe(
      'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:',
    );
    expect(await contentDigest(new TextEncoder().encode('é').buffer)).toBe(
      await expectedDigest('é'),
    );
  });

  it('proofs sent to the MCP server carry the digest of the JSON-RPC body (of zero bytes without one); token endpoint proofs do not', async () => {
    const { fetch, sent } = recording();
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
      dpop: dpop(),
      fetch,
    });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    const response = await oauth.fetch(stack.mcp.url, {
      method: 'POST',
      headers: JSON_RPC_HEADERS,
      body,
    });
    expect(response.status).toBe(200);
    expect((await oauth.status())?.tokenType).toBe('dpop');
    const toMcp = sent.filter((s) => s.url === stack.mcp.url && s.proof);
    expect(toMcp).toHaveLength(1);
    expect(toMcp[0]?.proof?.content_digest).toBe(await expectedDigest(body));
    expect(toMcp[0]?.body).toBe(body);

    // a request without a body (the SDK's GET for a server stream): the digest of zero bytes
    const get = await oauth.fetch(stack.mcp.url, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405); // past the DPoP check and the token check; the server is stateless
    expect(sent.at(-1)?.proof).toMatchObject({
      htm: 'GET',
      content_digest: 'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:',
    });

    const toTokenEndpoint = sent.filter((s) => s.url.startsWith(stack.as.url) && s.proof);
    expect(toTokenEndpoint.length).toBeGreaterThanOrEqual(1); // the authorization code exchange
    for (const s of toTokenEndpoint) {
      expect(s.proof).toMatchObject({ htm: 'POST' });
      expect(s.proof).not.toHaveProperty('content_digest');
    }
  });

  it('a request replayed after a 401 (body from a stream, buffered once) carries the same, correct digest', async () => {
    let refused = 0;
    const { fetch, sent } = recording((s) => {
      // the first MCP request with a proof is answered 401 here: the client refreshes and replays it
      if (s.url !== stack.mcp.url || !s.proof || refused++ > 0) return undefined;
      return new Response(null, {
        status: 401,
        headers: { 'www-authenticate': 'DPoP error="invalid_token"' },
      });
    });
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
      dpop: dpop(),
      fetch,
    });
    await oauth.authorize();
    const tokenRequests = sent.filter((s) => s.url.startsWith(stack.as.url) && s.proof).length;
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'replayed ✓' } },
    });
    const request = new Request(stack.mcp.url, {
      method: 'POST',
      headers: JSON_RPC_HEADERS,
      body: new Blob([body]).stream(),
      duplex: 'half',
    } as RequestInit);
    const response = await oauth.fetch(request);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('replayed ✓');

    const toMcp = sent.filter((s) => s.url === stack.mcp.url && s.proof);
    expect(toMcp).toHaveLength(2); // refused here, then replayed to the server, which checked it
    const digest = await expectedDigest(body);
    for (const s of toMcp) {
      expect(s.body).toBe(body);
      expect(s.proof?.content_digest).toBe(digest);
    }
    expect(toMcp[0]?.proof?.jti).not.toBe(toMcp[1]?.proof?.jti);
    const refresh = sent
      .filter((s) => s.url.startsWith(stack.as.url) && s.proof)
      .slice(tokenRequests);
    expect(refresh.length).toBeGreaterThanOrEqual(1); // the refresh between the two
    for (const s of refresh) expect(s.proof).not.toHaveProperty('content_digest');
  });
});
