import { createServer, type Server } from 'node:http';
import { McpOAuthError } from '@mcp-oauth/core';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetch } from '../src/index.ts';
import { BLOCKED_CODE, isBlockedAddress } from '../src/ssrf/blocked-addresses.ts';
import { guardedConnector } from '../src/ssrf/guarded-connector.ts';

describe('blockPrivateNetworks (SSRF defence for server-side clients)', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hop') {
        // A redirect to an address literal: the hop a metadata URL could steer a client to.
        res.writeHead(302, { location: `http://127.0.0.1:${port}/meta` }).end();
        return;
      }
      hits++;
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server?.close());

  it('classifies addresses with Node’s BlockList', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
    for (const a of [
      '8.8.8.8',
      '1.1.1.1',
      '2606:4700:4700::1111',
      '::ffff:8.8.8.8',
      'example.com',
    ]) {
      expect(isBlockedAddress(a), a).toBe(false);
    }
  });

  it('refuses an address literal before connecting', async () => {
    const fetch = createFetch({ blockPrivateNetworks: true, proxy: false });
    const before = hits;
    const error = await fetch(`http://127.0.0.1:${port}/meta`).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'address_blocked')).toBe(true);
    expect((error as Error).message).toContain('blockPrivateNetworks');
    expect(hits).toBe(before);
    await fetch.close();
  });

  it('refuses a name that resolves to a blocked address, checked at connect time', async () => {
    const fetch = createFetch({ blockPrivateNetworks: true, proxy: false, retry: false });
    const before = hits;
    const error = await fetch(`http://localhost:${port}/meta`).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'address_blocked')).toBe(true);
    expect(hits).toBe(before);
    await fetch.close();
  });

  it('checks every connection, redirect hops included: a hop to a blocked literal never connects', async () => {
    // The connector alone (no guarded lookup), so that the first hop, by name, is allowed
    // and only the redirect's address literal is in question.
    const dispatcher = new Agent({ connect: guardedConnector({}) });
    const before = hits;
    const error = await undiciFetch(`http://localhost:${port}/hop`, { dispatcher }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(((error as Error).cause as { code?: string }).code).toBe(BLOCKED_CODE);
    expect(hits).toBe(before);
    // Without the redirect the same dispatcher connects: the refusal is the hop's literal.
    const direct = await undiciFetch(`http://localhost:${port}/meta`, { dispatcher });
    expect(direct.status).toBe(200);
    expect(hits).toBe(before + 1);
    await dispatcher.close();
  });

  it('is off by default: local servers stay reachable', async () => {
    const fetch = createFetch({ proxy: false });
    const response = await fetch(`http://localhost:${port}/meta`);
    expect(response.status).toBe(200);
    await fetch.close();
  });
});
