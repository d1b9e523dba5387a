import {
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
} from 'jose';
import { describe, expect, it } from 'vitest';
import type { AuthorizationServerMetadata } from '../../src/discovery/authorization-server.ts';
import { createDpopState, dpopAlgorithm, dpopKeyFor } from '../../src/dpop/keys.ts';
import { sendWithDpop } from '../../src/dpop/send.ts';
import type { FlowContext } from '../../src/flow/context.ts';
import { storeKeys } from '../../src/store/keys.ts';
import { memoryStore } from '../../src/store/memory.ts';
import type { TokensRecord } from '../../src/store/records.ts';

const AS: AuthorizationServerMetadata = {
  issuer: 'https://as.example',
  dpop_signing_alg_values_supported: ['ES256'],
};
const RESOURCE = 'https://mcp.example/mcp';
/** A resource whose metadata says it takes DPoP. */
const TAKES = (resource: string) => ({
  resource,
  authorization_servers: [AS.issuer],
  dpop_signing_alg_values_supported: ['ES256'],
});

const ctxWith = (store = memoryStore()) => ({ store, now: Date.now }) as unknown as FlowContext;

describe('DPoP keys', () => {
  it('auto follows the resource: the authorization server advertising DPoP is not enough', () => {
    const bearerOnly = { resource: RESOURCE, authorization_servers: [AS.issuer] };
    expect(dpopAlgorithm(createDpopState('auto', false), AS, bearerOnly)).toBeUndefined();
    expect(dpopAlgorithm(createDpopState('auto', false), AS, TAKES(RESOURCE))).toBe('ES256');
    expect(
      dpopAlgorithm(createDpopState('auto', false), { issuer: AS.issuer }, TAKES(RESOURCE)),
    ).toBeUndefined();
    expect(dpopAlgorithm(createDpopState('always', false), { issuer: AS.issuer }, bearerOnly)).toBe(
      'ES256',
    );
    expect(dpopAlgorithm(createDpopState('off', false), AS, TAKES(RESOURCE))).toBeUndefined();
  });

  it('auto takes a DPoP challenge from the resource as its word', () => {
    const state = createDpopState('auto', false);
    const bearerOnly = { resource: RESOURCE, authorization_servers: [AS.issuer] };
    state.challenges.set('https://mcp.example', []);
    expect(dpopAlgorithm(state, AS, bearerOnly)).toBe('ES256');
  });

  it('keeps one non-extractable key per (issuer, resource)', async () => {
    const state = createDpopState('auto', false);
    const ctx = ctxWith();
    const a = await dpopKeyFor(ctx, state, AS, TAKES(RESOURCE));
    expect(a?.keyPair.privateKey.extractable).toBe(false);
    expect(await dpopKeyFor(ctx, state, AS, TAKES(RESOURCE))).toBe(a);
    expect(await dpopKeyFor(ctx, state, AS, TAKES('https://other.example/mcp'))).not.toBe(a);
    expect(await ctx.store.list()).toEqual([]); // not persisted when persistKeys is off
  });

  it('persists the key through the store: another process (state) proves possession with the same key', async () => {
    const store = memoryStore();
    const first = await dpopKeyFor(
      ctxWith(store),
      createDpopState('auto', true),
      AS,
      TAKES(RESOURCE),
    );
    expect(first?.keyPair.privateKey.extractable).toBe(false);
    expect(await store.list('dpop:')).toEqual([storeKeys.dpopKey(AS.issuer, RESOURCE)]);
    const second = await dpopKeyFor(
      ctxWith(store),
      createDpopState('auto', true),
      AS,
      TAKES(RESOURCE),
    );
    expect(second?.jkt).toBe(first?.jkt);
    expect(second?.keyPair.privateKey.extractable).toBe(false);
  });

  it('creates the key once when several processes race for it (the store lock)', async () => {
    const store = memoryStore();
    const keys = await Promise.all(
      Array.from({ length: 5 }, () =>
        dpopKeyFor(ctxWith(store), createDpopState('auto', true), AS, TAKES(RESOURCE)),
      ),
    );
    expect(new Set(keys.map((k) => k?.jkt)).size).toBe(1);
  });
});

describe('sendAuthorized with DPoP-bound tokens', () => {
  it('sends a fresh proof bound to the token, and retries once with the nonce of a use_dpop_nonce challenge', async () => {
    const state = createDpopState('auto', false);
    const key = await dpopKeyFor(ctxWith(), state, AS, TAKES(RESOURCE));
    const seen: { authorization: string | null; proof: string }[] = [];
    const fetch = async (_input: string | URL | Request, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      seen.push({ authorization: headers.get('authorization'), proof: headers.get('dpop') ?? '' });
      if (seen.length === 1)
        return new Response(null, {
          status: 401,
          headers: { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': 'n1' },
        });
      return new Response('ok');
    };
    const ctx = {
      fetch,
      oauthFetch: fetch,
      store: memoryStore(),
      now: Date.now,
    } as unknown as FlowContext;
    const tokens: TokensRecord = {
      v: 1,
      kind: 'tokens',
      issuer: AS.issuer,
      resource: RESOURCE,
      clientId: 'c',
      accessToken: 'at',
      tokenType: 'dpop',
      obtainedAt: 0,
      dpopJkt: key?.jkt as string,
    };
    const response = await sendWithDpop(
      ctx,
      state,
      { url: `${RESOURCE}?x=1`, init: { method: 'POST', body: '{}' } },
      tokens,
    );
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(2);
    const [first, second] = seen;
    expect(first?.authorization).toBe('DPoP at');
    const header = decodeProtectedHeader(second?.proof ?? '');
    expect(header.typ).toBe('dpop+jwt');
    expect(header.jwk && 'd' in header.jwk).toBe(false);
    expect(await calculateJwkThumbprint(header.jwk as never)).toBe(key?.jkt);
    const { payload } = await jwtVerify(
      second?.proof ?? '',
      await importJWK(header.jwk as never, 'ES256'),
    );
    expect(payload).toMatchObject({
      htm: 'POST',
      htu: RESOURCE,
      nonce: 'n1',
      ath: 'sda5G2fCr6XjIpiNlGJjjTVN34oe9526mH-BXCK0uu4',
    });
    expect(decodeJwt(first?.proof ?? '').jti).not.toBe(payload.jti);
  });
});
