// RFC 8628 §3.2-3.5: device authorization polling, timed with fake timers (the interval is in seconds).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthorizationServerMetadata } from '../../src/discovery/authorization-server.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import type { FlowContext } from '../../src/flow/context.ts';
import { runFlow } from '../../src/flow/run.ts';
import type { DeviceAuthorization } from '../../src/grants/device-authorization.ts';
import { pollDeviceToken, requestDeviceAuthorization } from '../../src/grants/device-code-grant.ts';
import { deviceInteraction } from '../../src/interaction/device-interaction.ts';
import type { ClientRecord } from '../../src/store/records.ts';
import { flowContext } from '../support/context.ts';
import { fakeServer, json } from '../support/fake-server.ts';

const ISSUER = 'https://as.example';
const RESOURCE = 'https://mcp.example/mcp';
const T0 = Date.UTC(2026, 0, 1);
const as: AuthorizationServerMetadata = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  device_authorization_endpoint: `${ISSUER}/device`,
  registration_endpoint: `${ISSUER}/register`,
  grant_types_supported: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
  code_challenge_methods_supported: ['S256'],
};
const client: ClientRecord = {
  v: 1,
  kind: 'client',
  issuer: ISSUER,
  source: 'pre-registered',
  clientId: 'c',
  tokenEndpointAuthMethod: 'none',
  redirectUris: [],
  grantTypes: ['urn:ietf:params:oauth:grant-type:device_code'],
  registeredAt: 0,
};
const TOKENS = { access_token: 'at', token_type: 'Bearer', expires_in: 3600 };

/** A token endpoint answering `answers` in turn (an OAuth error code, or 'tokens'); it notes when each poll came. */
function tokenEndpoint(answers: string[]) {
  const polledAt: number[] = [];
  const server = fakeServer({
    'POST /token': () => {
      polledAt.push(Date.now() - T0);
      const answer = answers.shift() ?? 'authorization_pending';
      return answer === 'tokens' ? json(TOKENS) : json({ error: answer }, 400);
    },
    'POST /device': () =>
      json({
        device_code: 'dc',
        user_code: 'WDJB-MJHT',
        verification_uri: `${ISSUER}/activate`,
        expires_in: 600,
      }),
  });
  const ctx = flowContext(server.fetch, { now: () => Date.now() });
  return { server, ctx, polledAt };
}

/** Settles `promise`, advancing the fake clock only while the code under test waits on a timer. */
async function settle<T>(promise: Promise<T>): Promise<T | unknown> {
  let done = false;
  const result = promise.then(
    (value) => value,
    (error: unknown) => error,
  );
  void result.finally(() => {
    done = true;
  });
  while (!done) {
    if (vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync();
    else await new Promise((resolve) => setImmediate(resolve));
  }
  return result;
}

const device = (extra: Partial<DeviceAuthorization> = {}): DeviceAuthorization => ({
  deviceCode: 'dc',
  userCode: 'WDJB-MJHT',
  verificationUri: `${ISSUER}/activate`,
  expiresAt: T0 + 600_000,
  intervalMs: 5_000,
  ...extra,
});

const poll = (ctx: FlowContext, d: DeviceAuthorization) =>
  settle(
    pollDeviceToken(ctx, {
      as,
      client,
      config: {},
      resource: RESOURCE,
      resourceMetadata: { resource: RESOURCE, authorization_servers: [] },
      scope: undefined,
      device: d,
    }),
  );

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('device authorization polling (RFC 8628)', () => {
  it('uses the interval of the response, and 5 seconds when it has none', async () => {
    const { server, ctx } = tokenEndpoint([]);
    expect(
      (
        await requestDeviceAuthorization(ctx, {
          as,
          client,
          config: {},
          resource: RESOURCE,
          resourceMetadata: { resource: RESOURCE, authorization_servers: [] },
          scope: undefined,
        })
      ).intervalMs,
    ).toBe(5_000);
    server.routes['POST /device'] = () =>
      json({
        device_code: 'dc',
        user_code: 'U',
        verification_uri: `${ISSUER}/activate`,
        expires_in: 600,
        interval: 7,
      });
    expect(
      (
        await requestDeviceAuthorization(ctx, {
          as,
          client,
          config: {},
          resource: RESOURCE,
          resourceMetadata: { resource: RESOURCE, authorization_servers: [] },
          scope: undefined,
        })
      ).intervalMs,
    ).toBe(7_000);
  });

  it('waits the interval before the first poll and between polls, and keeps polling on authorization_pending', async () => {
    const { ctx, polledAt } = tokenEndpoint([
      'authorization_pending',
      'authorization_pending',
      'tokens',
    ]);
    const tokens = await poll(ctx, device({ intervalMs: 7_000 }));
    expect(tokens).toMatchObject({ accessToken: 'at' });
    expect(polledAt).toEqual([7_000, 14_000, 21_000]);
  });

  it('slow_down adds 5 seconds to the interval, for this poll and every later one, cumulatively', async () => {
    const { ctx, polledAt } = tokenEndpoint([
      'slow_down',
      'slow_down',
      'authorization_pending',
      'tokens',
    ]);
    await poll(ctx, device());
    // gaps: 5 s, then 10 s after the first slow_down, then 15 s after the second, and 15 s stays
    expect(polledAt).toEqual([5_000, 15_000, 30_000, 45_000]);
  });

  it.each([
    ['access_denied', 'device_authorization_denied'],
    ['expired_token', 'device_authorization_expired'],
    ['invalid_grant', 'grant_rejected'],
    ['invalid_client', 'token_request_failed'],
  ])('stops polling at %s (%s)', async (answer, expected) => {
    const { ctx, polledAt } = tokenEndpoint([answer]);
    const error = await poll(ctx, device());
    expect(McpOAuthError.is(error, expected as never)).toBe(true);
    expect((error as McpOAuthError).oauthError).toBe(answer);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(polledAt).toEqual([5_000]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops once expires_in has passed, without another poll', async () => {
    const { ctx, polledAt } = tokenEndpoint([]); // always authorization_pending
    const error = await poll(ctx, device({ expiresAt: T0 + 12_000 }));
    expect(McpOAuthError.is(error, 'device_authorization_expired')).toBe(true);
    expect((error as Error).message).toMatch(/start the login again/i);
    // polls at 5 s and 10 s; at 15 s the code has expired (12 s) and nothing is sent
    expect(polledAt).toEqual([5_000, 10_000]);
  });

  it('a device_authorization_endpoint on plain http (not loopback) is refused before anything is sent', async () => {
    const { server, ctx } = tokenEndpoint([]);
    const error = await requestDeviceAuthorization(ctx, {
      as: { ...as, device_authorization_endpoint: 'http://as.example/device' },
      client,
      config: {},
      resource: RESOURCE,
      resourceMetadata: { resource: RESOURCE, authorization_servers: [] },
      scope: undefined,
    }).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'insecure_url')).toBe(true);
    expect(server.requests).toEqual([]);
  });
});

describe('the device flow end to end (RFC 8628, MCP)', () => {
  function deviceFlow(answers: string[]) {
    const { server, ctx, polledAt } = tokenEndpoint(answers);
    server.routes['GET /.well-known/oauth-protected-resource/mcp'] = () =>
      json({ resource: RESOURCE, authorization_servers: [ISSUER], scopes_supported: ['mcp:read'] });
    server.routes['GET /.well-known/oauth-authorization-server'] = () => json(as);
    server.routes['POST /register'] = ({ body }) =>
      json({ ...JSON.parse(body), client_id: 'dyn' }, 201);
    const prompts: unknown[] = [];
    const interaction = deviceInteraction({ prompt: (p) => void prompts.push(p) });
    const run = () =>
      settle(
        runFlow(ctx, { step: 'start', serverUrl: RESOURCE, grant: 'device' }, {}, interaction),
      );
    const at = (path: string) => server.requests.filter((r) => new URL(r.url).pathname === path);
    return { run, at, prompts, polledAt };
  }

  it('sends resource in the device authorization request and in every device token request', async () => {
    const { run, at } = deviceFlow(['authorization_pending', 'tokens']);
    expect(await run()).toMatchObject({ step: 'authorized' });
    const [authorization] = at('/device');
    expect(authorization?.form.get('resource')).toBe(RESOURCE);
    expect(authorization?.form.get('scope')).toBe('mcp:read');
    const polls = at('/token');
    expect(polls).toHaveLength(2);
    for (const p of polls) {
      expect(p.form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:device_code');
      expect(p.form.get('device_code')).toBe('dc');
      expect(p.form.get('resource')).toBe(RESOURCE);
    }
  });

  it('after expired_token fails with device_authorization_expired and starts no new device authorization', async () => {
    const { run, at, prompts } = deviceFlow(['authorization_pending', 'expired_token']);
    const error = await run();
    expect(McpOAuthError.is(error, 'device_authorization_expired')).toBe(true);
    // a typed error the application shows; the message names the server's answer
    expect((error as McpOAuthError).oauthError).toBe('expired_token');
    expect((error as Error).message).toContain('expired_token');
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    expect(at('/device')).toHaveLength(1);
    expect(at('/token')).toHaveLength(2);
    expect(prompts).toHaveLength(1);
  });
});
