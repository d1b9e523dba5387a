// RFC 9449 DPoP at the token endpoint: the authorization server's nonce is kept (§8, §8.2),
// and every grant that returns tokens, device-flow polling included, sends a proof and binds
// the tokens to its key (§5).
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { dpop } from '../../src/dpop/support.ts';
import { pollDeviceToken } from '../../src/grants/device-code-grant.ts';
import { memoryStore } from '../../src/store/memory.ts';
import type { ClientRecord } from '../../src/store/records.ts';
import { flowContext } from '../support/context.ts';
import { exampleAs, ISSUER, RESOURCE } from '../support/example-as.ts';
import { fakeServer, json, type RecordedRequest } from '../support/fake-server.ts';
import { seedLogin } from '../support/seed.ts';

const proofOf = (request: RecordedRequest | undefined) => {
  const proof = request?.headers.get('dpop') ?? '';
  return { header: decodeProtectedHeader(proof), payload: decodeJwt(proof) };
};

describe('RFC 9449 at the token endpoint', () => {
  it("keeps the authorization server's DPoP nonce for the next token request: one use_dpop_nonce round trip, not one per request", async () => {
    let issued = 0;
    const server = fakeServer({
      'POST /token': (request) => {
        if (proofOf(request).payload.nonce !== 'n1')
          return json({ error: 'use_dpop_nonce' }, 400, { 'dpop-nonce': 'n1' });
        issued++;
        return json({
          access_token: `at-${issued + 1}`,
          refresh_token: `rt-${issued + 1}`,
          token_type: 'DPoP',
          expires_in: 3600,
        });
      },
    });
    const store = memoryStore();
    await seedLogin(store, {
      resource: RESOURCE,
      as: exampleAs({ dpop_signing_alg_values_supported: ['ES256'] }),
      client: {},
      tokens: { refreshToken: 'rt-1', expiresAt: Date.now() + 3_600_000 },
    });
    const oauth = createOAuthClient({
      serverUrl: RESOURCE,
      store,
      fetch: server.fetch,
      dpop: dpop({ mode: 'always', persistKeys: false }),
    });
    await oauth.refresh();
    await oauth.refresh();
    // first refresh: refused for the nonce, then sent with it; second refresh: the nonce at once
    expect(server.requests.map((r) => proofOf(r).payload.nonce)).toEqual([undefined, 'n1', 'n1']);
    expect(server.requests.map((r) => r.form.get('refresh_token'))).toEqual([
      'rt-1',
      'rt-1',
      'rt-2',
    ]);
    const jtis = server.requests.map((r) => proofOf(r).payload.jti);
    expect(new Set(jtis).size).toBe(3);
    expect(await oauth.getAccessToken()).toBe('at-3');
  });

  it('device-flow token polling sends a proof, and the tokens it gets are bound to that key', async () => {
    const server = fakeServer({
      'POST /token': () => json({ access_token: 'at-d', token_type: 'DPoP', expires_in: 3600 }),
    });
    const ctx = flowContext(server.fetch, { dpop: dpop({ mode: 'always', persistKeys: false }) });
    const client: ClientRecord = {
      v: 1,
      kind: 'client',
      issuer: ISSUER,
      source: 'pre-registered',
      clientId: 'c',
      tokenEndpointAuthMethod: 'none',
      redirectUris: [],
      grantTypes: ['urn:ietf:params:oauth:grant-type:device_code'],
      registeredAt: 0,
    };
    const tokens = await pollDeviceToken(ctx, {
      as: exampleAs(),
      client,
      config: {},
      resource: RESOURCE,
      resourceMetadata: { resource: RESOURCE, authorization_servers: [ISSUER] },
      scope: undefined,
      device: {
        deviceCode: 'dc',
        userCode: 'UC',
        verificationUri: `${ISSUER}/device`,
        expiresAt: Date.now() + 60_000,
        intervalMs: 0,
      },
    });
    const [poll] = server.requests;
    expect(poll?.form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:device_code');
    const { header, payload } = proofOf(poll);
    expect(header.typ).toBe('dpop+jwt');
    expect(payload.htm).toBe('POST');
    expect(payload.htu).toBe(`${ISSUER}/token`);
    expect(tokens.dpopJkt).toBe(await calculateJwkThumbprint(header.jwk as never));
  });
});
