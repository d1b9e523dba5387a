// RFC 6750 §2.1 (and MCP's token requirements): a bearer token goes to the MCP server in the
// Authorization request header with the Bearer scheme, and nowhere else in the request.
import { describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { memoryStore } from '../../src/store/memory.ts';
import { exampleAs, RESOURCE } from '../support/example-as.ts';
import { fakeServer } from '../support/fake-server.ts';
import { seedLogin } from '../support/seed.ts';

describe('bearer token presentation (RFC 6750 §2.1)', () => {
  it('sends the access token as Authorization: Bearer <token>, and not in the URL or the body', async () => {
    const server = fakeServer({ 'POST /mcp': () => new Response('{}', { status: 200 }) });
    const store = memoryStore();
    await seedLogin(store, {
      resource: RESOURCE,
      as: exampleAs(),
      client: {},
      tokens: { accessToken: 'at-secret', expiresAt: Date.now() + 3_600_000 },
    });
    const oauth = createOAuthClient({ serverUrl: RESOURCE, store, fetch: server.fetch });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const response = await oauth.fetch(`${RESOURCE}?session=1`, { method: 'POST', body });
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.headers.get('authorization')).toBe('Bearer at-secret');
    expect(request?.url).toBe(`${RESOURCE}?session=1`);
    expect(request?.body).toBe(body);
  });
});
