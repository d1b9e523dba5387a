// RFC 7009 §2.2.1: a revocation endpoint answering 503 has not revoked the token.
import { describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import type { McpOAuthEvent } from '../../src/events/types.ts';
import { storeKeys } from '../../src/store/keys.ts';
import { memoryStore } from '../../src/store/memory.ts';
import { exampleAs, ISSUER, RESOURCE } from '../support/example-as.ts';
import { fakeServer } from '../support/fake-server.ts';
import { seedLogin } from '../support/seed.ts';

const as = exampleAs({ revocation_endpoint: `${ISSUER}/revoke` });

describe('logout when revocation is unavailable (RFC 7009)', () => {
  it('a 503 is reported as a warning with its Retry-After, not as revoked; the local tokens are deleted', async () => {
    const server = fakeServer({
      'POST /revoke': () =>
        new Response('maintenance', { status: 503, headers: { 'retry-after': '120' } }),
    });
    const store = memoryStore();
    await seedLogin(store, {
      resource: RESOURCE,
      as,
      client: {},
      tokens: { refreshToken: 'rt-1', expiresAt: Date.now() + 3_600_000 },
    });
    const events: McpOAuthEvent[] = [];
    const client = createOAuthClient({
      serverUrl: RESOURCE,
      store,
      fetch: server.fetch,
      onEvent: (e) => events.push(e),
    });
    const result = await client.logout();
    // the token is still valid at the server: nothing is reported revoked
    expect(result.revoked).toEqual([]);
    expect(events.some((e) => e.type === 'revoked')).toBe(false);
    expect(result.warnings).toHaveLength(2);
    for (const warning of result.warnings) {
      expect(McpOAuthError.is(warning, 'http_error')).toBe(true);
      expect(warning.status).toBe(503);
      expect(warning.details.retryAfter).toBe('120');
    }
    // one attempt per token, refresh token first; no retry loop
    expect(server.requests.map((r) => r.form.get('token_type_hint'))).toEqual([
      'refresh_token',
      'access_token',
    ]);
    expect(await store.get(storeKeys.tokens(ISSUER, RESOURCE))).toBeUndefined();
    expect(await client.status()).toBeUndefined();
  });
});
