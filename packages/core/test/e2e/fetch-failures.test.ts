import { createServer } from 'node:net';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';
import { initializeRequest } from './initialize-request.ts';

/** A port nothing listens on (bound, then released). */
const closedPort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('oauth.fetch when the request itself fails', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('a server nobody answers on: network_error naming the URL, with the cause (globalThis.fetch underneath)', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/mcp`;
    const oauth = createOAuthClient({ serverUrl: url, store: memoryStore() });
    const error = await oauth.fetch(url, initializeRequest()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(McpOAuthError.is(error, 'network_error')).toBe(true);
    expect((error as McpOAuthError).details.url).toBe(url);
    expect((error as McpOAuthError).message).toContain('Check the address, network and proxy');
    expect((error as McpOAuthError).cause).toBeInstanceOf(TypeError);
  });

  it("a store's failure is not the network's: it stays what it was", async () => {
    const store = memoryStore();
    store.get = () => Promise.reject(new Error('disk on fire'));
    const oauth = createOAuthClient({ serverUrl: stack.mcp.url, store });
    const error = await oauth.fetch(stack.mcp.url, initializeRequest()).then(
      () => undefined,
      (e: unknown) => e as McpOAuthError,
    );
    expect(error?.code).not.toBe('network_error');
    expect((error?.cause as Error | undefined)?.message ?? error?.message).toContain(
      'disk on fire',
    );
  });

  it("the caller's abort comes back as fetch gives it: the signal's reason, not an error of ours", async () => {
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
    });
    await oauth.authorize();
    const reason = new Error('the user closed the window');
    const controller = new AbortController();
    controller.abort(reason);
    await expect(oauth.fetch(stack.mcp.url, initializeRequest(controller.signal))).rejects.toBe(
      reason,
    );
    // and through the middleware, with the default reason (an AbortError)
    const aborted = AbortSignal.abort();
    const through = oauth.middleware()(globalThis.fetch);
    await expect(through(stack.mcp.url, initializeRequest(aborted))).rejects.toBe(aborted.reason);
    // the client still works afterwards
    const response = await oauth.fetch(stack.mcp.url, initializeRequest());
    expect(response.status).toBe(200);
    await response.body?.cancel();
  });
});

describe('options refused when the client is made', () => {
  const base = { serverUrl: 'https://mcp.example.com/mcp', store: memoryStore() };
  const cases: [string, Record<string, unknown>][] = [
    ['serverUrl', { serverUrl: 'not a url' }],
    ['serverUrl', { serverUrl: undefined }],
    ['scopes', { scopes: 'mcp:read' }],
    ['retry.attempts', { retry: { attempts: 0 } }],
    ['retry.attempts', { retry: { attempts: -3 } }],
    ['retry.minDelayMs', { retry: { minDelayMs: -1 } }],
    ['refreshSkewMs', { refreshSkewMs: -5 }],
    ['maxStepUps', { maxStepUps: -1 }],
    ['maxStepUps', { maxStepUps: 1.5 }],
    ['lock.ttlMs', { lock: { ttlMs: 0 } }],
    ['maxResponseBytes', { maxResponseBytes: 0 }],
    ['allowInsecureHttp', { allowInsecureHttp: 'yes' }],
  ];
  for (const [option, given] of cases) {
    it(`${option}: ${JSON.stringify(given)}`, () => {
      let error: unknown;
      try {
        createOAuthClient({ ...base, ...given } as never);
      } catch (e) {
        error = e;
      }
      expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
      expect((error as McpOAuthError).message).toContain(`\`${option}\` option`);
      expect((error as McpOAuthError).details.option).toBe(option);
    });
  }

  it('a serverUrl that is not a URL is not shown: it may hold a secret', () => {
    expect(() =>
      createOAuthClient({ ...base, serverUrl: 'mcp.example.com/mcp?token=s3cret' }),
    ).toThrowError(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
  });

  it('the values at the edges are taken, and what was taken before', () => {
    expect(() =>
      createOAuthClient({
        ...base,
        serverUrl: new URL('https://mcp.example.com/mcp?x=1#top'), // the fragment is dropped
        scopes: [],
        retry: { attempts: 1, minDelayMs: 0, maxDelayMs: 0 },
        refreshSkewMs: 0,
        maxStepUps: 0,
        lock: { ttlMs: 1, timeoutMs: 0 },
        maxResponseBytes: 1,
        allowInsecureHttp: 'loopback',
      }),
    ).not.toThrow();
  });
});
