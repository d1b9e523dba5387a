import { McpOAuthError } from '@mcp-oauth/core';
import { afterEach, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { createFetch, DEFAULT_USER_AGENT, type TransportFetch, VERSION } from '../src/index.ts';
import { startHttpServer, type TestServer } from './helpers/servers.ts';

let server: TestServer | undefined;
let transport: TransportFetch | undefined;
afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

function echo(
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
): void {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => {
    body += c;
  });
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-extra': 'yes' });
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
  });
}

describe('createFetch', () => {
  it('reuses keep-alive connections: 10 sequential requests, at most 2 connections', async () => {
    server = await startHttpServer(echo);
    transport = createFetch({ proxy: false });
    for (let i = 0; i < 10; i++) {
      const response = await transport(`${server.url}/n/${i}`);
      expect(((await response.json()) as { url: string }).url).toBe(`/n/${i}`);
    }
    expect(server.requests()).toBe(10);
    // undici frees a connection a moment after the body ends, so back-to-back requests
    // alternate between two pooled connections (bare undici.fetch does the same).
    expect(server.connections()).toBeLessThanOrEqual(2);
  });

  it('paced sequential requests all use one keep-alive connection', async () => {
    server = await startHttpServer(echo);
    transport = createFetch({ proxy: false });
    for (let i = 0; i < 5; i++) {
      expect((await transport(server.url)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(server.connections()).toBe(1);
  });

  it('sends the library user agent unless the caller sets one', async () => {
    server = await startHttpServer(echo);
    transport = createFetch({ proxy: false });
    const plain = (await (await transport(server.url)).json()) as {
      headers: Record<string, string>;
    };
    expect(plain.headers['user-agent']).toBe(`mcp-oauth/${packageJson.version} (+transport-fetch)`);
    expect(DEFAULT_USER_AGENT).toBe(plain.headers['user-agent']);
    expect(VERSION).toBe(packageJson.version);
    const own = (await (
      await transport(server.url, { headers: { 'User-Agent': 'my-app/2' } })
    ).json()) as {
      headers: Record<string, string>;
    };
    expect(own.headers['user-agent']).toBe('my-app/2');
    await transport.close();
    transport = createFetch({ proxy: false, userAgent: 'custom/1' });
    const custom = (await (await transport(server.url)).json()) as {
      headers: Record<string, string>;
    };
    expect(custom.headers['user-agent']).toBe('custom/1');
  });

  it('headers: records and Headers alike; invalid ones reject with TypeError, nothing sent', async () => {
    server = await startHttpServer(echo);
    const fetch = createFetch({ proxy: false });
    transport = fetch;
    const url = server.url;
    const sent = async (init: RequestInit): Promise<Record<string, string>> => {
      const body = (await (await fetch(url, init)).json()) as { headers: Record<string, string> };
      return body.headers;
    };
    const record = await sent({ headers: { Authorization: 'Bearer a', 'X-Two': '2 ' } });
    expect(record.authorization).toBe('Bearer a');
    expect(record['x-two']).toBe('2');
    expect(record['user-agent']).toBe(DEFAULT_USER_AGENT);
    const own = await sent({ headers: { 'user-AGENT': 'mine/1' } });
    expect(own['user-agent']).toBe('mine/1');
    const fromHeaders = await sent({ headers: new Headers({ 'x-one': '1' }) });
    expect(fromHeaders['x-one']).toBe('1');
    expect(fromHeaders['user-agent']).toBe(DEFAULT_USER_AGENT);
    const pairs = await sent({ headers: [['x-pair', 'p']] });
    expect(pairs['x-pair']).toBe('p');
    const before = server.requests();
    for (const headers of [{ 'x-bad': 'a\nb' }, { 'bad name': 'x' }]) {
      const error = await fetch(url, { headers }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect(McpOAuthError.isInstance(error)).toBe(false);
    }
    expect(server.requests()).toBe(before);
  });

  it('returns a Response with status, headers and url', async () => {
    server = await startHttpServer(echo);
    transport = createFetch({ proxy: false });
    const response = await transport(new URL(`${server.url}/p?q=1`), {
      method: 'post',
      body: 'hello',
    });
    // undici's Response class (as undici.fetch returns), a Response by the spec's brand check.
    expect(Object.prototype.toString.call(response)).toBe('[object Response]');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-extra')).toBe('yes');
    expect(response.url).toBe(`${server.url}/p?q=1`);
    expect(await response.json()).toMatchObject({ method: 'POST', url: '/p?q=1', body: 'hello' });
  });

  it('accepts a Request (global) with its method, headers and body', async () => {
    server = await startHttpServer(echo);
    transport = createFetch({ proxy: false });
    const request = new Request(`${server.url}/r`, {
      method: 'PUT',
      headers: { 'x-a': '1', 'content-type': 'text/plain' },
      body: 'payload',
    });
    const seen = (await (await transport(request)).json()) as {
      method: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(seen.method).toBe('PUT');
    expect(seen.headers['x-a']).toBe('1');
    expect(seen.body).toBe('payload');
  });

  it('URLSearchParams bodies are sent form-encoded', async () => {
    server = await startHttpServer(echo);
    transport = createFetch({ proxy: false });
    const seen = (await (
      await transport(server.url, { method: 'POST', body: new URLSearchParams({ a: '1 2' }) })
    ).json()) as { headers: Record<string, string>; body: string };
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(seen.body).toBe('a=1+2');
  });

  it('204 and HEAD responses have no body', async () => {
    server = await startHttpServer((req, res) => {
      res.writeHead(req.method === 'HEAD' ? 200 : 204, {
        'content-length': req.method === 'HEAD' ? '5' : '0',
      });
      res.end();
    });
    transport = createFetch({ proxy: false });
    const none = await transport(server.url, { method: 'DELETE' });
    expect(none.status).toBe(204);
    expect(none.body).toBeNull();
    const head = await transport(server.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('follows redirects and reports the final url', async () => {
    server = await startHttpServer((req, res) => {
      if (req.url === '/old') return void res.writeHead(302, { location: '/new' }).end();
      res.end(req.url);
    });
    transport = createFetch({ proxy: false });
    const response = await transport(`${server.url}/old`);
    expect(await response.text()).toBe('/new');
    expect(response.redirected).toBe(true);
    expect(response.url).toBe(`${server.url}/new`);
  });

  it('rejects invalid options with invalid_configuration', () => {
    expect(() => createFetch({ maxResponseBytes: -1 })).toThrowError(
      expect.objectContaining({ code: 'invalid_configuration' }) as Error,
    );
    expect(() => createFetch({ proxy: 'not a url' })).toThrow(McpOAuthError);
    // attempts counts every request: 0 or a fraction is a mistake, not "one request"
    for (const attempts of [0, -1, 2.5]) {
      expect(() => createFetch({ retry: { attempts } })).toThrowError(
        expect.objectContaining({
          code: 'invalid_configuration',
          details: { option: 'retry' },
        }) as Error,
      );
    }
    return (createFetch({ retry: { attempts: 1 } }) as TransportFetch).close();
  });

  it('is a drop-in fetch: the result type-checks as typeof fetch', () => {
    const f: typeof fetch = createFetch({ proxy: false });
    expect(typeof f).toBe('function');
    return (f as TransportFetch).close();
  });
});
