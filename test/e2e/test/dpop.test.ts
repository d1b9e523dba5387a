import { createHash, randomUUID } from 'node:crypto';
import { createOAuthClient, type McpOAuthEvent, memoryStore } from '@mcp-oauth/core';
import { dpop } from '@mcp-oauth/core/dpop';
import { importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSdk, type Stack, startStack, textOf } from '../src/harness.ts';
import { approve } from '../src/interactions.ts';

describe('DPoP (RFC 9449) where the MCP server accepts it and oidc-provider offers it', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ as: { accessTokenTtlSeconds: 60 }, mcp: { dpop: 'accepted' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('binds tokens to a key, proves possession on every MCP request, refreshes with a proof', async () => {
    const store = memoryStore();
    const events: McpOAuthEvent[] = [];
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: approve(),
      dpop: dpop(),
      onEvent: (e) => events.push(e),
    });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'bound' } }))).toBe(
      'bound',
    );
    expect((await oauth.status())?.tokenType).toBe('dpop');
    const proofs = stack.mcp.stats.dpopRequests;
    expect(proofs).toBeGreaterThanOrEqual(2);
    await oauth.refresh();
    expect(textOf(await sdk.callTool({ name: 'add', arguments: { a: 1, b: 1 } }))).toBe('2');
    expect(stack.mcp.stats.dpopRequests).toBeGreaterThan(proofs);
    expect(stack.mcp.stats.dpopRejected).toBe(0);
    await sdk.close();
  });

  it('a stolen DPoP-bound token is useless as a bearer token', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: approve(),
      dpop: dpop(),
    });
    const token = await oauth.getAccessToken();
    const response = await fetch(stack.mcp.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^DPoP/);
  });

  it('the MCP server checks content_digest: a proof made for another body, or without the claim, is refused', async () => {
    const store = memoryStore();
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: approve(),
      dpop: dpop(),
    });
    const token = await oauth.getAccessToken();
    // a hand-made proof, signed with the client's own key (kept in the store)
    const [keyName] = await store.list('dpop:');
    const key = (await store.get(keyName as string)) as {
      alg: string;
      publicJwk: JWK;
      privateJwk: JWK;
    };
    const privateKey = await importJWK(key.privateJwk, key.alg);
    const sha256 = (text: string) => createHash('sha256').update(text);
    const send = async (body: string | undefined, claims: { content_digest?: string }) => {
      const method = body === undefined ? 'GET' : 'POST';
      const proof = await new SignJWT({
        htm: method,
        htu: stack.mcp.url,
        ath: sha256(token).digest('base64url'),
        ...claims,
      })
        .setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk })
        .setIssuedAt()
        .setJti(randomUUID())
        .sign(privateKey);
      return fetch(stack.mcp.url, {
        method,
        headers: {
          authorization: `DPoP ${token}`,
          dpop: proof,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        ...(body === undefined ? {} : { body }),
      });
    };
    const digestOf = (text: string) => `sha-256=:${sha256(text).digest('base64')}:`;
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const other = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call' });
    const rejected = stack.mcp.stats.dpopRejected;

    const matching = await send(body, { content_digest: digestOf(body) });
    expect(matching.status).toBe(200); // the hand-made proof is valid when the digest matches
    const wrong = await send(body, { content_digest: digestOf(other) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(
      /^DPoP error="invalid_dpop_proof".*content_digest/,
    );
    const missing = await send(body, {});
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/content_digest/);
    // no body: the digest of zero bytes gets past the guard (405: the stateless server has no GET stream)
    expect((await send(undefined, { content_digest: digestOf('') })).status).toBe(405);
    expect((await send(undefined, { content_digest: digestOf(body) })).status).toBe(401);
    expect(stack.mcp.stats.dpopRejected).toBe(rejected + 3);
  });

  it('the key pair is kept in the store: another process with the same store proves possession, no new login', async () => {
    const store = memoryStore();
    const first = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: approve(),
      dpop: dpop(),
    });
    await first.authorize();
    expect(await store.list('dpop:')).toHaveLength(1);
    const authorizations = stack.as.stats.authorizations;
    const second = createOAuthClient({ serverUrl: stack.mcp.url, store, dpop: dpop() }); // no interaction: a login would fail
    const sdk = await connectSdk(stack.mcp.url, second.fetch);
    expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'same key' } }))).toBe(
      'same key',
    );
    await second.refresh(); // the refresh token is bound to the same key too
    expect(stack.as.stats.authorizations).toBe(authorizations);
    await sdk.close();
  });

  it('without dpop() the client stays on bearer tokens, and the DPoP code is not even loaded', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: approve(),
    });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'plain' } }))).toBe(
      'plain',
    );
    expect((await oauth.status())?.tokenType).toBe('bearer');
    await sdk.close();
  });
});
