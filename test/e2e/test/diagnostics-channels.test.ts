import diagnostics_channel from 'node:diagnostics_channel';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createOAuthClient,
  type FetchLike,
  McpOAuthError,
  type McpOAuthEvent,
  type OAuthHttpRequest,
  type StoreLockMessage,
} from '@mcp-oauth/core';
import { dpop } from '@mcp-oauth/core/dpop';
import { storeKeys } from '@mcp-oauth/core/store';
import { fileStore } from '@mcp-oauth/store-file';
import { secretCollectingFetch, serializeAll } from '@mcp-oauth/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectSdk, type Stack, startStack, textOf } from '../src/harness.ts';
import { approve } from '../src/interactions.ts';

/**
 * The diagnostics channels, subscribed to as an APM agent would: a login, a refresh across the
 * token's expiry, a step-up, a store lock wait and a lock timeout against the real servers.
 * Every published message is serialized, and no secret seen on the wire appears in any.
 */

const EVENT_TYPES: McpOAuthEvent['type'][] = [
  'discovery',
  'registered',
  'authorization_started',
  'device_code',
  'authorized',
  'scope_narrowed',
  'refreshed',
  'refresh_failed',
  'refresh_skipped',
  'step_up',
  'tokens_deleted',
  'registration_dropped',
  'revoked',
  'retry',
  'failure',
];

interface Published {
  channel: string;
  message: unknown;
  /** The message serialized when it was published (contexts are completed later). */
  snapshot: string;
}

/** Subscribes to every channel core and the stores publish on; returns what was published. */
function subscribeAll() {
  const published: Published[] = [];
  const record = (channel: string) => (message: unknown) =>
    published.push({ channel, message, snapshot: serializeAll(message) });
  const unsubscribers: (() => void)[] = [];
  for (const name of [...EVENT_TYPES.map((t) => `mcp-oauth:${t}`), 'mcp-oauth:lock']) {
    const handler = record(name);
    diagnostics_channel.subscribe(name, handler);
    unsubscribers.push(() => diagnostics_channel.unsubscribe(name, handler));
  }
  const http = diagnostics_channel.tracingChannel('mcp-oauth:http');
  const handlers = {
    start: record('mcp-oauth:http:start'),
    end: record('mcp-oauth:http:end'),
    asyncStart: record('mcp-oauth:http:asyncStart'),
    asyncEnd: record('mcp-oauth:http:asyncEnd'),
    error: record('mcp-oauth:http:error'),
  };
  http.subscribe(handlers);
  unsubscribers.push(() => http.unsubscribe(handlers));
  return {
    published,
    on: (channel: string) => published.filter((p) => p.channel === channel).map((p) => p.message),
    close: () => {
      for (const u of unsubscribers) u();
    },
  };
}

describe('diagnostics channels (node:diagnostics_channel)', () => {
  let stack: Stack;
  let subscription: ReturnType<typeof subscribeAll> | undefined;
  beforeAll(async () => {
    stack = await startStack({
      as: { accessTokenTtlSeconds: 2, refreshTokenRotation: true },
      mcp: { dpop: 'accepted' },
    });
  });
  afterEach(() => {
    subscription?.close();
    subscription = undefined;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('publishes login, refresh across expiry, step-up, lock wait and lock timeout, with no secret in any message', async () => {
    subscription = subscribeAll();
    const { on, published } = subscription;
    const wire = secretCollectingFetch();
    const directory = mkdtempSync(join(tmpdir(), 'channels-'));
    const store = fileStore({ directory });
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      fetch: wire.fetch,
      interaction: approve(),
      // a confidential client (a client secret on the wire) with DPoP-bound tokens (proofs on the wire)
      client: { tokenEndpointAuthMethod: 'client_secret_basic' },
      dpop: dpop(),
      scopes: ['mcp:read'],
      refreshSkewMs: 0,
      lock: { timeoutMs: 300 },
    });

    // login
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('hi');
    const [started] = on('mcp-oauth:authorization_started') as McpOAuthEvent[];
    expect(started).toMatchObject({ issuer: stack.as.issuer, via: 'redirect' });
    expect(on('mcp-oauth:authorized')).toHaveLength(1);
    expect(on('mcp-oauth:discovery')).not.toHaveLength(0);
    expect(on('mcp-oauth:registered')).toEqual([
      expect.objectContaining({ source: 'dynamic-registration' }),
    ]);

    // refresh across expiry, waiting for a lock another holder keeps a moment
    const tokens = await oauth.status();
    const key = storeKeys.tokens(tokens?.issuer ?? '', tokens?.resource ?? '');
    const held = await fileStore({ directory }).lock(key);
    await new Promise((r) => setTimeout(r, 2_200)); // the access token expires
    const heldFrom = performance.now();
    const call = sdk.callTool({ name: 'echo', arguments: { text: 'after expiry' } });
    await new Promise((r) => setTimeout(r, 100));
    const heldMs = performance.now() - heldFrom;
    await held.release();
    expect(textOf(await call)).toBe('after expiry');
    expect(on('mcp-oauth:refreshed')).toContainEqual(
      expect.objectContaining({ issuer: stack.as.issuer, rotated: true }),
    );
    const locks = on('mcp-oauth:lock') as StoreLockMessage[];
    const waited = locks.find((l) => l.outcome === 'acquired' && l.waitedMs >= heldMs - 5);
    expect(waited).toMatchObject({ store: 'file', key, outcome: 'acquired' });

    // a step-up: admin_reset needs mcp:admin, which the token lacks
    await sdk.callTool({ name: 'admin_reset', arguments: {} });
    expect(on('mcp-oauth:step_up')).toEqual([
      expect.objectContaining({ scope: expect.stringContaining('mcp:admin'), attempt: 1 }),
    ]);

    // a lock timeout: the refresh gives up, and says why
    const stuck = await fileStore({ directory }).lock(key);
    const failure = await oauth.refresh().catch((e: unknown) => e);
    await stuck.release();
    expect(McpOAuthError.is(failure, 'store_lock_timeout')).toBe(true);
    expect(on('mcp-oauth:lock')).toContainEqual(
      expect.objectContaining({ store: 'file', outcome: 'timeout', code: 'store_lock_timeout' }),
    );
    expect(on('mcp-oauth:refresh_failed')).toEqual([
      expect.objectContaining({
        issuer: stack.as.issuer,
        code: 'store_lock_timeout',
        reason: 'store_lock_timeout',
      }),
    ]);

    // per-request tracing of the OAuth requests
    const requests = on('mcp-oauth:http:asyncEnd') as OAuthHttpRequest[];
    const kinds = new Set(requests.map((r) => r.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['discovery', 'registration', 'token']));
    const token = requests.filter((r) => r.kind === 'token');
    expect(token.map((r) => r.grantType)).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token']),
    );
    for (const r of requests) {
      expect(r.method).toMatch(/^(GET|POST)$/);
      expect(r.url).not.toContain('?');
      expect(r.status).toBeGreaterThanOrEqual(200);
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
    }
    // start and asyncEnd get the same context object
    expect(on('mcp-oauth:http:start')).toHaveLength(requests.length);
    expect(on('mcp-oauth:http:start')[0]).toBe(requests[0]);

    await sdk.close();
    // logout revokes: two revocation requests
    await oauth.logout();
    const revocations = (on('mcp-oauth:http:asyncEnd') as OAuthHttpRequest[]).filter(
      (r) => r.kind === 'revocation',
    );
    expect(revocations.length).toBeGreaterThanOrEqual(1);
    expect(on('mcp-oauth:revoked')).not.toHaveLength(0);

    // no secret anywhere: neither when published nor in the completed contexts
    expect(wire.secrets.size).toBeGreaterThanOrEqual(6);
    const everything = [
      ...published.map((p) => p.snapshot),
      ...published.map((p) => serializeAll(p.message)),
    ].join('\n');
    for (const secret of wire.secrets) expect(everything).not.toContain(secret);
  });

  it('publishes the retry of a transient token endpoint failure (503) on mcp-oauth:retry', async () => {
    subscription = subscribeAll();
    let failNextRefresh = false;
    const fetch: FetchLike = async (input, init) => {
      const refreshing =
        init?.body instanceof URLSearchParams && init.body.get('grant_type') === 'refresh_token';
      if (refreshing && failNextRefresh) {
        failNextRefresh = false;
        return new Response('{"error":"temporarily_unavailable"}', {
          status: 503,
          headers: { 'content-type': 'application/json', 'retry-after': '0' },
        });
      }
      return globalThis.fetch(input, init);
    };
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      fetch,
      interaction: approve(),
      retry: { minDelayMs: 1, maxDelayMs: 5 },
    });
    await oauth.authorize();
    failNextRefresh = true;
    await oauth.refresh();
    expect(subscription.on('mcp-oauth:retry')).toEqual([
      expect.objectContaining({ type: 'retry', attempt: 1, reason: expect.any(String) }),
    ]);
    const statuses = (subscription.on('mcp-oauth:http:asyncEnd') as OAuthHttpRequest[])
      .filter((r) => r.grantType === 'refresh_token')
      .map((r) => r.status);
    expect(statuses).toEqual([503, 200]);
  });

  it('with no subscriber, nothing is traced or published', async () => {
    // count what reaches node:diagnostics_channel: traced requests, and publications on
    // channels nobody listens to (core checks hasSubscribers before building a message)
    const tracingProto = Object.getPrototypeOf(diagnostics_channel.tracingChannel('x')) as {
      tracePromise: (...args: unknown[]) => unknown;
    };
    const idleProto = Object.getPrototypeOf(diagnostics_channel.channel('mcp-oauth:idle')) as {
      publish: (message: unknown) => void;
    };
    const tracePromise = tracingProto.tracePromise;
    const publish = idleProto.publish;
    let traced = 0;
    let publishedIdle = 0;
    tracingProto.tracePromise = function (this: unknown, ...args: unknown[]) {
      traced++;
      return tracePromise.apply(this, args);
    };
    idleProto.publish = function (this: unknown, message: unknown) {
      publishedIdle++;
      return publish.call(this, message);
    };
    try {
      const oauth = createOAuthClient({ serverUrl: stack.mcp.url, interaction: approve() });
      await oauth.getAccessToken();
      await oauth.refresh();
      expect({ traced, publishedIdle }).toEqual({ traced: 0, publishedIdle: 0 });
      // the counters count: with a subscriber, the same calls are traced
      subscription = subscribeAll();
      await oauth.refresh();
      expect(traced).toBeGreaterThan(0);
      expect(subscription.on('mcp-oauth:refreshed')).toHaveLength(1);
    } finally {
      tracingProto.tracePromise = tracePromise;
      idleProto.publish = publish;
    }
  });
});
