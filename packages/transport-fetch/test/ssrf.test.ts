import { createServer, type Server } from 'node:http';
import { McpOAuthError } from '@mcp-oauth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetch } from '../src/index.ts';
import { isBlockedAddress } from '../src/ssrf/blocked-addresses.ts';

describe('blockPrivateNetworks (SSRF defence for server-side clients)', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
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

  it('is off by default: local servers stay reachable', async () => {
    const fetch = createFetch({ proxy: false });
    const response = await fetch(`http://localhost:${port}/meta`);
    expect(response.status).toBe(200);
    await fetch.close();
  });
});
