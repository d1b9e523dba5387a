import { createOAuthClient, type FetchLike, McpOAuthError, memoryStore } from '@mcp-oauth/core';
import { headlessInteraction } from '@mcp-oauth/core/flow';
import { completeAuthorization } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingFetch, type Stack, startStack } from '../src/harness.ts';

const redirectUri = 'http://127.0.0.1:9/callback';

/** Rewrites the `id_token` of token responses in transit (the real server signed the original). */
function alteringIdToken(alter: (idToken: string) => string): FetchLike {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (!url.endsWith('/token') || response.status !== 200) return response;
    const body = (await response.json()) as { id_token?: string };
    if (body.id_token) body.id_token = alter(body.id_token);
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}

/** The same JWS with one payload claim changed and the original signature. */
function withClaim(idToken: string, claim: string, value: string): string {
  const [header, payload, signature] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
  claims[claim] = value;
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

describe('OpenID Connect identity (ID token with nonce, validated against the real issuer)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("login with `openid`: a nonce is sent, the ID token is verified with the issuer's JWKS, identity() is the account", async () => {
    let idToken = '';
    const { fetch, log } = recordingFetch(async (input, init) => {
      const response = await globalThis.fetch(input, init);
      if (String(input).endsWith('/token'))
        idToken = ((await response.clone().json()) as { id_token?: string }).id_token ?? '';
      return response;
    });
    const events: unknown[] = [];
    const store = memoryStore();
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      fetch,
      scopes: ['openid', 'mcp:read'],
      onEvent: (e) => events.push(e),
    });
    const { authorizationUrl, pending } = await oauth.beginAuthorization({ redirectUri });
    const nonce = new URL(authorizationUrl).searchParams.get('nonce');
    expect(nonce).toBeTruthy();
    expect(pending.nonce).toBe(nonce);
    // the pending authorization stays plain data: it survives a round trip through a session
    const resumed = JSON.parse(JSON.stringify(pending));
    await oauth.completeAuthorization(resumed, await completeAuthorization(authorizationUrl));

    const me = await oauth.identity();
    expect(me?.subject).toBe('user-1');
    expect(me?.claims).toMatchObject({
      sub: 'user-1',
      iss: stack.as.issuer,
      nonce,
      aud: expect.anything(),
    });
    // the keys were fetched once, from the issuer's jwks_uri
    expect(log.filter((l) => l === `GET ${stack.as.jwksUri}`)).toHaveLength(1);
    // the claims are kept, the ID token itself is not (not in the store, not in events)
    expect(idToken.split('.')).toHaveLength(3);
    const raw = JSON.stringify(await Promise.all((await store.list()).map((k) => store.get(k))));
    expect(raw).toContain('"idTokenClaims"');
    expect(raw).not.toContain(idToken);
    expect(JSON.stringify(events)).not.toContain(idToken);
    expect(JSON.stringify(events)).not.toContain('idTokenClaims');

    // another client on the same store sees the same identity, without any request
    const again = recordingFetch();
    const other = createOAuthClient({ serverUrl: stack.mcp.url, store, fetch: again.fetch });
    expect((await other.identity())?.subject).toBe('user-1');
    expect(again.log).toEqual([]);
  });

  it('the identity survives a refresh', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      scopes: ['openid', 'mcp:read'],
      interaction: headlessInteraction({ redirectUri }),
    });
    await oauth.authorize();
    await oauth.refresh();
    expect((await oauth.identity())?.subject).toBe('user-1');
  });

  it("a callback exchanged with another pending authorization's nonce is refused (id_token_invalid)", async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      scopes: ['openid', 'mcp:read'],
    });
    const first = await oauth.beginAuthorization({ redirectUri });
    const second = await oauth.beginAuthorization({ redirectUri });
    expect(second.pending.nonce).not.toBe(first.pending.nonce);
    const callback = await completeAuthorization(first.authorizationUrl);
    const error = await oauth
      .completeAuthorization({ ...first.pending, nonce: second.pending.nonce as string }, callback)
      .catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'id_token_invalid')).toBe(true);
    expect((error as McpOAuthError).details.claim).toBe('nonce');
    expect((error as McpOAuthError).message).not.toMatch(/eyJ/);
    expect(await oauth.identity()).toBeUndefined();
    expect(await oauth.status()).toBeUndefined(); // no tokens were stored
  });

  it('an ID token altered in transit (a claim changed, the signature kept) is refused by the signature check', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      fetch: alteringIdToken((t) => withClaim(t, 'sub', 'user-2')),
      scopes: ['openid', 'mcp:read'],
      interaction: headlessInteraction({ redirectUri }),
    });
    const error = await oauth.authorize().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'id_token_invalid')).toBe(true);
    expect((error as McpOAuthError).message).toMatch(/signature/);
    expect((error as McpOAuthError).message).not.toMatch(/eyJ/);
    expect(await oauth.identity()).toBeUndefined();
  });

  it('a token response whose ID token was removed in transit is refused', async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      fetch: alteringIdToken(() => ''),
      scopes: ['openid', 'mcp:read'],
      interaction: headlessInteraction({ redirectUri }),
    });
    const error = await oauth.authorize().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'id_token_invalid')).toBe(true);
  });

  it('without `openid`: no nonce, no JWKS request, identity() is undefined', async () => {
    const { fetch, log } = recordingFetch();
    const oauth = createOAuthClient({ serverUrl: stack.mcp.url, fetch, scopes: ['mcp:read'] });
    const { authorizationUrl, pending } = await oauth.beginAuthorization({ redirectUri });
    expect(new URL(authorizationUrl).searchParams.has('nonce')).toBe(false);
    expect(pending).not.toHaveProperty('nonce');
    await oauth.completeAuthorization(pending, await completeAuthorization(authorizationUrl));
    expect(await oauth.status()).toBeDefined();
    expect(await oauth.identity()).toBeUndefined();
    expect(
      log.some((l) => l.includes('jwks') || l.endsWith(new URL(stack.as.jwksUri).pathname)),
    ).toBe(false);
    expect(log.some((l) => l.endsWith('/token'))).toBe(true);
  });
});
