import { inspect } from 'node:util';
import { McpOAuthError } from '@mcp-oauth/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFetch, type TransportFetch } from '../src/index.ts';
import { localhostCertificate } from './helpers/certificate.ts';
import {
  type ConnectProxy,
  startConnectProxy,
  startHttpServer,
  startHttpsServer,
  type TestServer,
} from './helpers/servers.ts';

const PROXY_VARIABLES = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
];
const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));

let tls: { key: string; cert: string };
let target: TestServer;
let proxy: ConnectProxy;
let transport: TransportFetch | undefined;

beforeAll(async () => {
  tls = await localhostCertificate();
  target = await startHttpsServer(tls, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, auth: req.headers.authorization ?? null }));
  });
});
afterAll(async () => {
  await target.close();
});
afterEach(async () => {
  await transport?.close();
  transport = undefined;
  await proxy?.close();
  for (const name of PROXY_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('custom CA', () => {
  it('a self-signed server is refused without `ca`, with a hint to use it', async () => {
    proxy = await startConnectProxy();
    transport = createFetch({ proxy: false, retry: false });
    const error = await transport(`${target.url}/x`).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'network_error')).toBe(true);
    expect((error as McpOAuthError).message).toContain('`ca`');
  });

  it('is trusted with `ca`', async () => {
    proxy = await startConnectProxy();
    transport = createFetch({ proxy: false, ca: tls.cert });
    const response = await transport(`${target.url}/direct`);
    expect(await response.json()).toEqual({ path: '/direct', auth: null });
  });
});

describe('proxies', () => {
  it('the `proxy` option tunnels an https request with CONNECT; the target trusts our CA', async () => {
    proxy = await startConnectProxy();
    transport = createFetch({ proxy: proxy.url, ca: tls.cert });
    const response = await transport(`${target.url}/through?x=1`, {
      headers: { authorization: 'Bearer t0k3n' },
    });
    expect(await response.json()).toEqual({ path: '/through?x=1', auth: 'Bearer t0k3n' });
    expect(proxy.tunnels).toEqual([`127.0.0.1:${target.port}`]);
  });

  it('HTTPS_PROXY from the environment is used by default, and the tunnel is reused', async () => {
    proxy = await startConnectProxy();
    process.env.HTTPS_PROXY = proxy.url;
    transport = createFetch({ ca: [tls.cert] });
    for (let i = 0; i < 3; i++) {
      expect((await transport(`${target.url}/env`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 10)); // let undici return the socket to the pool
    }
    expect(proxy.tunnels).toEqual([`127.0.0.1:${target.port}`]);
  });

  it('lower-case https_proxy works too', async () => {
    proxy = await startConnectProxy();
    process.env.https_proxy = proxy.url;
    transport = createFetch({ ca: tls.cert });
    expect((await transport(`${target.url}/lower`)).status).toBe(200);
    expect(proxy.tunnels).toHaveLength(1);
  });

  it('HTTP_PROXY carries plain-http requests through a CONNECT tunnel too', async () => {
    proxy = await startConnectProxy();
    const plain = await startHttpServer((req, res) => void res.end(req.url));
    try {
      process.env.HTTP_PROXY = proxy.url;
      transport = createFetch();
      expect(await (await transport(`${plain.url}/plain`)).text()).toBe('/plain');
      expect(proxy.tunnels).toEqual([`127.0.0.1:${plain.port}`]);
    } finally {
      await plain.close();
    }
  });

  it('NO_PROXY bypasses the proxy for matching hosts', async () => {
    proxy = await startConnectProxy();
    process.env.HTTPS_PROXY = proxy.url;
    process.env.NO_PROXY = 'example.invalid, 127.0.0.1';
    transport = createFetch({ ca: tls.cert });
    expect((await transport(`${target.url}/bypass`)).status).toBe(200);
    expect(proxy.tunnels).toEqual([]);
    expect(proxy.connections()).toBe(0);
  });

  it('the noProxy option bypasses an explicit proxy', async () => {
    proxy = await startConnectProxy();
    transport = createFetch({ proxy: proxy.url, noProxy: '127.0.0.1', ca: tls.cert });
    expect((await transport(`${target.url}/bypass`)).status).toBe(200);
    expect(proxy.connections()).toBe(0);
  });

  it('proxy: false ignores the environment', async () => {
    proxy = await startConnectProxy();
    process.env.HTTPS_PROXY = proxy.url;
    transport = createFetch({ proxy: false, ca: tls.cert });
    expect((await transport(`${target.url}/direct`)).status).toBe(200);
    expect(proxy.connections()).toBe(0);
  });

  it('a proxy that refuses the tunnel gives network_error naming the proxy, without secrets', async () => {
    proxy = await startConnectProxy();
    // The test proxy refuses tunnels to anything but 127.0.0.1.
    transport = createFetch({ proxy: proxy.url.replace('//', '//user:pr0xy-pass@'), retry: false });
    const error = await transport('https://localhost:65000/x', {
      headers: { authorization: 'Bearer s3cret' },
    }).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'network_error')).toBe(true);
    const e = error as McpOAuthError;
    expect(e.message).toMatch(/proxy/i);
    expect(`${e.message} ${JSON.stringify(e.details)}`).not.toMatch(/s3cret|pr0xy-pass/);
    expect(proxy.tunnels).toEqual(['localhost:65000']);
  });

  it('printing the fetch (or an object holding it) shows no proxy credentials', async () => {
    proxy = await startConnectProxy();
    transport = createFetch({ proxy: proxy.url.replace('//', '//user:pr0xy-pass@'), ca: tls.cert });
    expect(inspect(transport, { depth: 20 })).not.toContain('pr0xy-pass');
    expect(inspect({ options: { fetch: transport } }, { depth: 20 })).not.toContain('pr0xy-pass');
    // the dispatcher stays reachable, and the fetch works through the proxy
    expect(transport.dispatcher).toBeDefined();
    expect((await transport(`${target.url}/through`)).status).toBe(200);
    expect(proxy.connections()).toBe(1);
  });

  it('an https URL for a port that serves plain http: says so, not "certificate not trusted"', async () => {
    const plain = await startHttpServer((_req, res) => res.end('ok'));
    try {
      transport = createFetch({ retry: false });
      const error = await transport(plain.url.replace('http://', 'https://')).catch(
        (e: unknown) => e,
      );
      expect(McpOAuthError.is(error, 'network_error')).toBe(true);
      const e = error as McpOAuthError;
      expect(e.message).toContain(
        'the server did not answer with TLS (ERR_SSL_WRONG_VERSION_NUMBER)',
      );
      expect(e.message).toContain('check the URL (https:// or http://) and the port');
      expect(e.message).not.toMatch(/certificate|ssl3_get_record/);
      expect(e.details.option).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
