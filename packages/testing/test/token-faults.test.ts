import { obtainTokens, startMcpOAuthServers } from '@mcp-oauth/testing';
import { describe, expect, it } from 'vitest';
import { refresh } from './helpers.ts';

async function loggedIn() {
  const servers = await startMcpOAuthServers();
  const tokens = await obtainTokens({ issuer: servers.issuer, resource: servers.mcpUrl });
  const refreshNow = (init?: RequestInit) =>
    refresh(servers.issuer, tokens.clientId, String(tokens.refreshToken), init);
  return { servers, refreshNow };
}

describe('token endpoint faults', () => {
  it('status: the next token request gets the status and an OAuth error body; nothing is consumed', async () => {
    const { servers, refreshNow } = await loggedIn();
    await using _ = servers;
    servers.injectTokenFault({ status: 503, headers: { 'retry-after': '1' } });
    const failed = await refreshNow();
    expect(failed.status).toBe(503);
    expect(failed.body.error).toBe('temporarily_unavailable');
    // once only (times defaults to 1), and the refresh token was not used up
    const next = await refreshNow();
    expect(next.status).toBe(200);
    expect(servers.counters).toMatchObject({ refreshes: 1, tokenFaults: 1 });
  });

  it('status with a body of your own, `times` requests in a row, then clearTokenFaults()', async () => {
    const { servers, refreshNow } = await loggedIn();
    await using _ = servers;
    servers.injectTokenFault({ status: 400, body: { error: 'invalid_grant' }, times: 2 });
    expect((await refreshNow()).body.error).toBe('invalid_grant');
    expect((await refreshNow()).body.error).toBe('invalid_grant');
    servers.injectTokenFault({ status: 500, body: 'oops', times: Number.POSITIVE_INFINITY });
    const html = await refreshNow();
    expect([html.status, html.body.text]).toEqual([500, 'oops']);
    servers.clearTokenFaults();
    expect((await refreshNow()).status).toBe(200);
    expect(servers.counters.tokenFaults).toBe(3);
  });

  it('delay: the answer comes late (a client with a short timeout gives up), then as usual', async () => {
    const { servers, refreshNow } = await loggedIn();
    await using _ = servers;
    servers.injectTokenFault({ delayMs: 5_000 });
    await expect(refreshNow({ signal: AbortSignal.timeout(200) })).rejects.toThrow(
      /abort|timeout/i,
    );
    servers.injectTokenFault({ delayMs: 50 });
    expect((await refreshNow()).status).toBe(200);
  });

  it('delay: close() ends a delayed request at once (the test would time out otherwise)', async () => {
    const { servers, refreshNow } = await loggedIn();
    servers.injectTokenFault({ delayMs: 600_000 });
    const outcome = refreshNow().then(
      () => 'answered',
      (error: Error) => `failed: ${error.name}`,
    );
    await expect.poll(() => servers.counters.tokenFaults).toBe(1);
    await servers.close();
    expect(await outcome).toBe('failed: TypeError');
  });

  it('delay with a status: waits, then answers with the status', async () => {
    const { servers, refreshNow } = await loggedIn();
    await using _ = servers;
    servers.injectTokenFault({ delayMs: 20, status: 502 });
    expect((await refreshNow()).status).toBe(502);
  });

  it('drop: the request is never answered, and close() still ends promptly', async () => {
    const { servers, refreshNow } = await loggedIn();
    servers.injectTokenFault({ drop: true });
    const pending = refreshNow();
    const outcome = pending.then(
      () => 'answered',
      (error: Error) => `failed: ${error.name}`,
    );
    // once the server holds the request, closing the servers ends the held connection
    await expect.poll(() => servers.authServer.stats.requests.byPath['/token']).toBe(2);
    await servers.close();
    expect(await outcome).toBe('failed: TypeError');
    expect(servers.counters.tokenRequests).toBe(1); // the authorization code grant only
  });

  it('reset: the connection is reset without an answer', async () => {
    const { servers, refreshNow } = await loggedIn();
    await using _ = servers;
    servers.injectTokenFault({ reset: true });
    const error = await refreshNow().then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error?.cause?.code).toBe('ECONNRESET');
    expect((await refreshNow()).status).toBe(200);
  });

  it('refuses a fault with times <= 0', async () => {
    await using servers = await startMcpOAuthServers();
    expect(() => servers.injectTokenFault({ status: 503, times: 0 })).toThrow(RangeError);
  });
});
