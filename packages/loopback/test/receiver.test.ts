import { createServer, type Server } from 'node:net';
import { McpOAuthError } from '@mcp-oauth/core';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  LoopbackReceiver,
  LoopbackReceiverOptions,
  RejectedCallback,
} from '../src/receiver.ts';
import { listenOn, startLoopbackReceiver } from '../src/start-loopback-receiver.ts';
import { validateReceiverOptions } from '../src/validate-options.ts';
import { get } from './helpers.ts';

const receivers: LoopbackReceiver[] = [];
const blockers: Server[] = [];

async function start(options: Parameters<typeof startLoopbackReceiver>[0] = {}) {
  const receiver = await startLoopbackReceiver(options);
  receivers.push(receiver);
  return receiver;
}

/** Through the internal seam: `hosts` as given, so a first host can really fail to bind. */
async function startOn(hosts: string[], options: Omit<LoopbackReceiverOptions, 'hosts'> = {}) {
  const receiver = await listenOn({ ...validateReceiverOptions(options), hosts });
  receivers.push(receiver);
  return receiver;
}

/** 192.0.2.1 (TEST-NET-1) is on no interface here: binding it fails with EADDRNOTAVAIL. */
const MISSING_IPV4 = '192.0.2.1';

function occupyPort(host = '127.0.0.1', port = 0): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    blockers.push(server);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  await Promise.all(
    blockers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});

describe('startLoopbackReceiver', () => {
  it('listens on an ephemeral port of 127.0.0.1 and names 127.0.0.1 in the redirect URI', async () => {
    const receiver = await start();
    expect(receiver.port).toBeGreaterThan(0);
    expect(receiver.redirectUri).toBe(`http://127.0.0.1:${receiver.port}/callback`);
    const other = await start();
    expect(other.port).not.toBe(receiver.port);
  });

  it('uses a custom path', async () => {
    const receiver = await start({ path: '/oauth/done' });
    expect(receiver.redirectUri).toBe(`http://127.0.0.1:${receiver.port}/oauth/done`);
  });

  it('rejects a bad path or port with invalid_configuration', async () => {
    await expect(start({ path: 'callback' })).rejects.toMatchObject({
      code: 'invalid_configuration',
    });
    await expect(start({ path: '/cb?x=1' })).rejects.toMatchObject({
      code: 'invalid_configuration',
    });
    await expect(start({ port: 70_000 })).rejects.toMatchObject({ code: 'invalid_configuration' });
  });

  it('listens on a fixed port when asked', async () => {
    const port = await occupyPort();
    await new Promise<void>((resolve) => blockers.pop()?.close(() => resolve()));
    const receiver = await start({ port });
    expect(receiver.port).toBe(port);
    expect(receiver.redirectUri).toBe(`http://127.0.0.1:${port}/callback`);
  });

  it('fails with a typed error naming the port when a fixed port is taken', async () => {
    const port = await occupyPort();
    const error = await start({ port }).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'interaction_failed')).toBe(true);
    const typed = error as McpOAuthError;
    expect(typed.message).toContain(String(port));
    expect(typed.message).toContain('already in use');
    expect(typed.details).toMatchObject({ reason: 'port_in_use', port });
  });

  it("falls back to an ephemeral port with fallback: 'ephemeral'", async () => {
    const port = await occupyPort();
    const receiver = await start({ port, fallback: 'ephemeral' });
    expect(receiver.port).not.toBe(port);
    expect(receiver.port).toBeGreaterThan(0);
  });

  it('returns the full callback URL for the matching state, answers a success page, then closes', async () => {
    const receiver = await start();
    const waiting = receiver.waitForCallback({ expectedState: 's-123' });
    const url = `${receiver.redirectUri}?code=abc&state=s-123&iss=https%3A%2F%2Fas.example`;
    const reply = await get(url);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.body).toContain('close this tab');
    await expect(waiting).resolves.toBe(url);
    // The listener is gone: a new connection is refused.
    await expect(get(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('ignores a wrong state with a failure page, then accepts the right one', async () => {
    const receiver = await start();
    const waiting = receiver.waitForCallback({ expectedState: 'right' });
    let settled = false;
    void waiting.then(() => {
      settled = true;
    });
    const wrong = await get(`${receiver.redirectUri}?code=evil&state=wrong`);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('does not belong to the sign-in in progress');
    const missing = await get(`${receiver.redirectUri}?code=evil`);
    expect(missing.status).toBe(400);
    const prefetch = await get(`${receiver.redirectUri}?code=good&state=right`, {}, 'HEAD');
    expect(prefetch.status).toBe(405);
    const elsewhere = await get(`http://127.0.0.1:${receiver.port}/favicon.ico`);
    expect(elsewhere.status).toBe(404);
    expect(settled).toBe(false);
    const right = `${receiver.redirectUri}?code=good&state=right`;
    expect((await get(right)).status).toBe(200);
    await expect(waiting).resolves.toBe(right);
  });

  it('reports each rejected callback at once, while the wait goes on', async () => {
    const receiver = await start();
    const rejected: RejectedCallback[] = [];
    const waiting = receiver.waitForCallback({
      expectedState: 'right',
      onRejectedCallback: (r) => rejected.push(r),
    });
    expect((await get(`${receiver.redirectUri}?code=old&state=from-an-old-tab`)).status).toBe(400);
    // reported before the next request, not at the end of the wait
    expect(rejected).toEqual([{ reason: 'state_mismatch', count: 1 }]);
    expect((await get(`${receiver.redirectUri}?code=old`)).status).toBe(400);
    expect(rejected).toEqual([
      { reason: 'state_mismatch', count: 1 },
      { reason: 'state_missing', count: 2 },
    ]);
    const right = `${receiver.redirectUri}?code=good&state=right`;
    expect((await get(right)).status).toBe(200);
    await expect(waiting).resolves.toBe(right);
    expect(rejected).toHaveLength(2);
  });

  it('says in the timeout error that a callback with a mismatched state was seen', async () => {
    const receiver = await start();
    const waiting = receiver.waitForCallback({ expectedState: 'right', timeoutMs: 300 });
    waiting.catch(() => {});
    await get(`${receiver.redirectUri}?code=old&state=from-an-old-tab`);
    const error = await waiting.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'interaction_timeout',
      details: { rejectedCallbacks: 1 },
    });
    expect((error as Error).message).toMatch(/One callback was rejected for a mismatched state/);
  });

  it('refuses requests naming another Host (DNS rebinding) without ending the wait', async () => {
    const receiver = await start();
    const waiting = receiver.waitForCallback({ expectedState: 'st' });
    const rebound = await get(`${receiver.redirectUri}?code=x&state=st`, {
      host: 'attacker.example',
    });
    expect(rebound.status).toBe(400);
    const url = `${receiver.redirectUri}?code=x&state=st`;
    expect((await get(url)).status).toBe(200);
    await expect(waiting).resolves.toBe(url);
  });

  it("shows the server's error HTML-escaped and still returns the callback URL", async () => {
    const receiver = await start();
    const waiting = receiver.waitForCallback({ expectedState: 'st' });
    const query = new URLSearchParams({
      error: 'access_denied<script>alert(1)</script>',
      error_description: 'The user said "no" <img src=x onerror=alert(2)> & left',
      state: 'st',
    });
    const url = `${receiver.redirectUri}?${query}`;
    const reply = await get(url);
    expect(reply.status).toBe(400);
    expect(reply.headers['content-security-policy']).toContain("default-src 'none'");
    expect(reply.body).not.toContain('<script>');
    expect(reply.body).not.toContain('<img');
    expect(reply.body).toContain('access_denied&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(reply.body).toContain(
      'The user said &quot;no&quot; &lt;img src=x onerror=alert(2)&gt; &amp; left',
    );
    await expect(waiting).resolves.toBe(url);
  });

  it('does not display an error response whose iss is not the expected issuer (RFC 9207, MCP)', async () => {
    const receiver = await start();
    const waiting = receiver.waitForCallback({
      expectedState: 'st',
      expectedIssuer: 'https://as.example',
    });
    const query = new URLSearchParams({
      error: 'access_denied',
      error_description: 'Call +1-555-SCAM to unlock',
      state: 'st',
      iss: 'https://evil.example',
    });
    const url = `${receiver.redirectUri}?${query}`;
    const reply = await get(url);
    expect(reply.status).toBe(400);
    expect(reply.body).not.toContain('SCAM');
    expect(reply.body).toContain('iss_mismatch');
    await expect(waiting).resolves.toBe(url); // core rejects it with iss_mismatch
  });

  it('does not display an error response without iss when the server promised one', async () => {
    const receiver = await start();
    const waiting = receiver.waitForCallback({
      expectedState: 'st',
      expectedIssuer: 'https://as.example',
      issuerRequired: true,
    });
    const url = `${receiver.redirectUri}?error=access_denied&error_description=SCAM&state=st`;
    const reply = await get(url);
    expect(reply.body).not.toContain('SCAM');
    await expect(waiting).resolves.toBe(url);
    // and the genuine one is shown
    const second = await start();
    const again = second.waitForCallback({
      expectedState: 'st',
      expectedIssuer: 'https://as.example',
      issuerRequired: true,
    });
    const genuine = `${second.redirectUri}?error=access_denied&error_description=You%20declined&state=st&iss=${encodeURIComponent('https://as.example')}`;
    expect((await get(genuine)).body).toContain('You declined');
    await expect(again).resolves.toBe(genuine);
  });

  it('fills a custom failure page with escaped values only', async () => {
    const receiver = await start({
      failurePage: '<p>{{error}}|{{error_description}}</p>',
      successPage: '<p>yay</p>',
    });
    const waiting = receiver.waitForCallback({ expectedState: 'st' });
    const reply = await get(
      `${receiver.redirectUri}?error=%3Cb%3E&error_description=%24%26%3Ci%3E&state=st`,
    );
    expect(reply.body).toBe('<p>&lt;b&gt;|$&amp;&lt;i&gt;</p>');
    await waiting;
  });

  it('ends the wait with interaction_timeout and closes the listener', async () => {
    const receiver = await start();
    const started = Date.now();
    const error = await receiver
      .waitForCallback({ expectedState: 'st', timeoutMs: 150 })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(McpOAuthError.is(error, 'interaction_timeout')).toBe(true);
    await expect(get(`${receiver.redirectUri}?code=x&state=st`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('is cancelled by an AbortSignal', async () => {
    const receiver = await start();
    const controller = new AbortController();
    const waiting = receiver.waitForCallback({ expectedState: 'st', signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({
      code: 'interaction_failed',
      details: { reason: 'aborted' },
    });
  });

  it('rejects a pending wait when closed', async () => {
    const receiver = await start();
    const waiting = receiver.waitForCallback({ expectedState: 'st' });
    await receiver.close();
    await expect(waiting).rejects.toMatchObject({
      code: 'interaction_failed',
      details: { reason: 'closed' },
    });
  });

  describe('IPv4 or IPv6 loopback, whichever is there (RFC 8252 §8.3)', () => {
    it('falls back to [::1] when IPv4 loopback cannot be bound, and completes the flow there', async () => {
      // The first bind really fails: the address is on no interface of this machine.
      const refused = await new Promise<NodeJS.ErrnoException>((resolve) => {
        createServer().listen({ host: MISSING_IPV4, port: 0 }).once('error', resolve);
      });
      expect(refused.code).toBe('EADDRNOTAVAIL');

      const receiver = await startOn([MISSING_IPV4, '::1']);
      expect(receiver.port).toBeGreaterThan(0);
      expect(receiver.redirectUri).toBe(`http://[::1]:${receiver.port}/callback`);
      const waiting = receiver.waitForCallback({ expectedState: 'st-6' });
      // The Host check follows the bound address: IPv4 origin or a foreign host is refused.
      const url = `${receiver.redirectUri}?code=abc&state=st-6`;
      const ipv4Host = await get(url, { host: `127.0.0.1:${receiver.port}` });
      expect(ipv4Host.status).toBe(400);
      const rebound = await get(url, { host: 'attacker.example' });
      expect(rebound.status).toBe(400);
      const wrongState = await get(`${receiver.redirectUri}?code=abc&state=other`);
      expect(wrongState.status).toBe(400);
      // A real request to http://[::1]:PORT (Host: [::1]:PORT) is the callback.
      const reply = await get(url);
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('close this tab');
      await expect(waiting).resolves.toBe(url);
      await expect(get(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    });

    it('keeps a fixed port on the [::1] fallback', async () => {
      const port = await occupyPort('::1');
      await new Promise<void>((resolve) => blockers.pop()?.close(() => resolve()));
      const receiver = await startOn([MISSING_IPV4, '::1'], { port });
      expect(receiver.port).toBe(port);
      expect(receiver.redirectUri).toBe(`http://[::1]:${port}/callback`);
    });

    it('fails with the typed listen_failed error when no loopback address can be bound', async () => {
      const error = await startOn([MISSING_IPV4, '198.51.100.1']).catch((e: unknown) => e);
      expect(McpOAuthError.is(error, 'interaction_failed')).toBe(true);
      const typed = error as McpOAuthError;
      expect(typed.details).toMatchObject({ reason: 'listen_failed', port: 0 });
      expect(typed.message).toContain('no loopback address is available');
      expect((typed.cause as NodeJS.ErrnoException).code).toBe('EADDRNOTAVAIL');
    });

    it('does not fall back to ::1 when a fixed port is taken on 127.0.0.1', async () => {
      const port = await occupyPort('127.0.0.1');
      const error = await start({ port }).catch((e: unknown) => e);
      expect(McpOAuthError.is(error, 'interaction_failed')).toBe(true);
      const typed = error as McpOAuthError;
      expect(typed.details).toMatchObject({ reason: 'port_in_use', port });
      expect(typed.message).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      // [::1]:port was free all along, and the receiver did not take it.
      await expect(occupyPort('::1', port)).resolves.toBe(port);
    });

    it('listens on [::1] when asked through the hosts option', async () => {
      const receiver = await start({ hosts: ['::1'] });
      expect(receiver.redirectUri).toBe(`http://[::1]:${receiver.port}/callback`);
      const waiting = receiver.waitForCallback({ expectedState: 'st' });
      const url = `${receiver.redirectUri}?code=x&state=st`;
      expect((await get(url)).status).toBe(200);
      await expect(waiting).resolves.toBe(url);
    });

    it('refuses hosts that are not loopback IP literals with invalid_configuration', async () => {
      for (const hosts of [[], ['localhost'], [MISSING_IPV4], ['0.0.0.0'], ['::'], ['[::1]']]) {
        await expect(start({ hosts })).rejects.toMatchObject({ code: 'invalid_configuration' });
      }
    });
  });
});
