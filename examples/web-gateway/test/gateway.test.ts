import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenStore } from '@mcp-oauth/core';
import { redisStore } from '@mcp-oauth/store-redis';
import {
  assertRedisInstalled,
  type RedisServer,
  startRedisServer,
} from '@mcp-oauth/test-redis-server';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userNamespace } from '../src/stores.ts';
import { type LaunchedGateway, launchGateway } from './launch.ts';

/**
 * The gateway as people use it: two users in two browser contexts of a real Chromium, behind a
 * round-robin proxy in front of two gateway processes sharing one real Redis, connecting a real
 * MCP server (the official SDK) through a real authorization server (oidc-provider).
 */

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
// short-lived access tokens: core refreshes at half their life, so a wait of a few seconds
// makes the next tool call refresh
const ACCESS_TOKEN_TTL_SECONDS = 10;

let redis: RedisServer;
let stack: Stack;
let gateway: LaunchedGateway;
let browser: Browser;
const storeKey = Buffer.alloc(32, 7).toString('base64');
// every gateway page either browser received, to check that none shows a secret
const pagesSeen: string[] = [];

interface User {
  name: string;
  context: BrowserContext;
  page: Page;
  connectionId?: string;
}
let alice: User;
let bob: User;

beforeAll(async () => {
  assertRedisInstalled();
  mkdirSync(ARTIFACTS, { recursive: true });
  [redis, stack] = await Promise.all([
    startRedisServer(),
    startStack({ as: { accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS } }),
  ]);
  [gateway, browser] = await Promise.all([
    launchGateway({
      MCP_SERVER_URL: stack.mcp.url,
      REDIS_URL: redis.url,
      GATEWAY_STORE_KEY: storeKey,
    }),
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    }),
  ]);
  alice = await newUser('alice');
  bob = await newUser('bob');
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await stack?.close();
  await redis?.close();
});

async function newUser(name: string): Promise<User> {
  const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
  context.on('response', async (response) => {
    if (!response.url().startsWith(gateway.url)) return;
    const body = await response.text().catch(() => '');
    pagesSeen.push(body);
  });
  return { name, context, page: await context.newPage() };
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

async function signIn(user: User) {
  await user.page.goto(gateway.url);
  await user.page.fill('input[name=name]', user.name);
  await Promise.all([user.page.waitForURL(`${gateway.url}/`), user.page.click('#signin')]);
  await expect.poll(() => user.page.textContent('#user')).toBe(user.name);
}

/** Connects the default MCP server: the browser goes to the AS, consents, comes back. */
async function connect(user: User) {
  await user.page.goto(gateway.url);
  await Promise.all([
    user.page.waitForURL(/\/servers\/[A-Za-z0-9_-]+$/),
    user.page.click('#connect'),
  ]);
  user.connectionId = new URL(user.page.url()).pathname.split('/').pop() as string;
}

/** Clicks "Call whoami" and returns the tool's answer and the process that served it. */
async function callWhoami(page: Page) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/call') && r.request().method() === 'POST'),
    page.click('#call'),
  ]);
  await page.waitForSelector('#result, #result-error');
  const error = await page.$('#result-error');
  if (error) throw new Error(`whoami failed: ${await error.textContent()}`);
  const result = JSON.parse((await page.textContent('#result')) ?? '') as {
    sub: string;
    client_id: string;
  };
  return { ...result, servedBy: response.headers()['x-gateway-instance'] };
}

/** The user's tokens as the gateway stored them (the test holds the store key). */
async function storedTokens(name: string) {
  const store: TokenStore = redisStore({
    url: redis.url,
    namespace: userNamespace(name),
    encryptionKey: storeKey,
  });
  try {
    const keys = await store.list('tokens:');
    const records = await Promise.all(keys.map((k) => store.get(k)));
    return records as unknown as { accessToken: string; refreshToken?: string }[];
  } finally {
    await store.close?.();
  }
}

const authorizationCodeRequests = () => stack.as.stats.tokenRequests.authorization_code ?? 0;

describe('web gateway', () => {
  it('two users sign in, consent in the browser and each sees their own identity; one registration for the app', async () => {
    await alice.page.goto(gateway.url);
    await shot(alice.page, '1-sign-in');
    await signIn(alice);
    await signIn(bob);
    await shot(alice.page, '2-no-servers');

    for (const user of [alice, bob]) {
      await connect(user);
      await expect
        .poll(() => user.page.getAttribute('#status span', 'data-status'))
        .toBe('connected');
      // the callback landed on the other process than the one that began the flow
      const startedOn = await user.page.textContent('#started-on');
      const completedOn = await user.page.textContent('#completed-on');
      expect(['gateway-a', 'gateway-b']).toContain(startedOn);
      expect(completedOn).not.toBe(startedOn);
      const whoami = await callWhoami(user.page);
      expect(whoami.sub).toBe(user.name);
      // ... and so did the tool call
      expect(whoami.servedBy).not.toBe(startedOn);
    }
    await shot(alice.page, '3-tool-result');
    await alice.page.goto(gateway.url);
    await shot(alice.page, '4-servers');

    // one dynamic registration for the whole gateway, used by both users
    expect(stack.as.stats.registrations).toBe(1);
    const [a, b] = [
      await callWhoami(await serverPage(alice)),
      await callWhoami(await serverPage(bob)),
    ];
    expect(a.client_id).toBe(b.client_id);
    expect(stack.as.stats.authorizations).toBe(2);
  });

  it("user B neither sees nor uses user A's connection", async () => {
    const aliceId = alice.connectionId as string;
    // B's list holds B's connection only
    await bob.page.goto(gateway.url);
    const bobRows = await bob.page.$$eval('#connections tr[data-connection]', (rows) =>
      rows.map((r) => r.getAttribute('data-connection')),
    );
    expect(bobRows).toEqual([bob.connectionId]);

    // guessing A's URL: not found, for reading, calling and disconnecting
    const read = await bob.page.goto(`${gateway.url}/servers/${aliceId}`);
    expect(read?.status()).toBe(404);
    for (const action of ['call', 'disconnect']) {
      const [response] = await Promise.all([
        bob.page.waitForNavigation(),
        bob.page.evaluate(
          ([id, what]) => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = `/servers/${id}/${what}`;
            document.body.append(form);
            form.submit();
          },
          [aliceId, action] as const,
        ),
      ]);
      expect(response?.status()).toBe(404);
      expect(await bob.page.textContent('#error')).toContain('No such server');
    }

    // an edited session cookie (claiming to be alice) is not a session
    const cookies = await bob.context.cookies(gateway.url);
    const session = cookies.find((c) => c.name === 'gateway_session');
    expect(session).toBeDefined();
    const forged = Buffer.from(JSON.stringify({ user: 'alice', sid: 'x' })).toString('base64url');
    const edited = await browser.newContext();
    await edited.addCookies([
      {
        ...(session as (typeof cookies)[number]),
        value: `${forged}.${session?.value.split('.').pop()}`,
      },
    ]);
    const editedPage = await edited.newPage();
    const forgedRead = await editedPage.goto(`${gateway.url}/servers/${aliceId}`);
    expect(forgedRead?.status()).toBe(403);
    await edited.close();

    // A's connection is untouched
    expect((await callWhoami(await serverPage(alice))).sub).toBe('alice');
  });

  it('a callback is bound to the session that began it; replayed or tampered callbacks change nothing', async () => {
    // alice connects again, but the test holds her browser's callback instead of delivering it
    // (Playwright's routes do not see redirects, so Chromium's own Fetch domain holds it)
    const cdp = await alice.context.newCDPSession(alice.page);
    let held = '';
    cdp.on('Fetch.requestPaused', (event: { requestId: string; request: { url: string } }) => {
      held = event.request.url;
      void cdp.send('Fetch.fulfillRequest', {
        requestId: event.requestId,
        responseCode: 200,
        responseHeaders: [{ name: 'content-type', value: 'text/plain' }],
        body: Buffer.from('held by the test').toString('base64'),
      });
    });
    await cdp.send('Fetch.enable', {
      patterns: [{ urlPattern: `${gateway.url}/callback?*`, requestStage: 'Request' }],
    });
    await alice.page.goto(gateway.url);
    await alice.page.click('#connect');
    await expect.poll(() => held).not.toBe('');
    await cdp.send('Fetch.disable');
    await cdp.detach();
    const codes = authorizationCodeRequests();

    // in bob's session: refused, and alice's pending authorization is kept
    const inBob = await bob.page.goto(held);
    expect(inBob?.status()).toBe(403);
    expect(await bob.page.textContent('#error')).toContain('started in another session');
    await shot(bob.page, '5-callback-refused');

    // a tampered state: unknown
    const tampered = new URL(held);
    tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
    const withTamperedState = await alice.page.goto(tampered.href);
    expect(withTamperedState?.status()).toBe(400);
    expect(await alice.page.textContent('#error')).toContain('unknown or already used');
    expect(authorizationCodeRequests()).toBe(codes);

    // the genuine callback in alice's own session still works
    await alice.page.goto(held);
    await alice.page.waitForURL(`${gateway.url}/servers/${alice.connectionId}`);
    expect(authorizationCodeRequests()).toBe(codes + 1);

    // replayed: refused before the code reaches the server (oidc-provider would revoke the
    // grant on a reused code), so alice's tokens keep working
    const replay = await alice.page.goto(held);
    expect(replay?.status()).toBe(400);
    expect(await alice.page.textContent('#error')).toContain('unknown or already used');
    expect(authorizationCodeRequests()).toBe(codes + 1);
    expect(stack.as.stats.grantsRevoked).toBe(0);
    expect((await callWhoami(await serverPage(alice))).sub).toBe('alice');
    await alice.page.goto(gateway.url);
    expect(await alice.page.$$('#connections tr[data-connection]')).toHaveLength(1);
  });

  it('an expired access token is refreshed once, whichever process gets the calls', async () => {
    const page1 = await serverPage(alice);
    const expiresAt = Number(await page1.getAttribute('#status span', 'data-expires-at'));
    expect(expiresAt).toBeGreaterThan(0);
    await waitUntil(expiresAt + 100);
    const page2 = await serverPage(alice, { newTab: true });
    await page1.reload();
    await expect.poll(() => page1.getAttribute('#status span', 'data-status')).toBe('expired');
    const refreshes = stack.as.stats.refreshSuccess;

    // two calls at once: the proxy sends them to different processes; one refresh between them
    const [one, two] = await Promise.all([callWhoami(page1), callWhoami(page2)]);
    expect([one.sub, two.sub]).toEqual(['alice', 'alice']);
    expect(new Set([one.servedBy, two.servedBy])).toEqual(new Set(['gateway-a', 'gateway-b']));
    expect(stack.as.stats.refreshSuccess).toBe(refreshes + 1);
    expect(stack.as.stats.invalidGrant).toBe(0);
    expect(gateway.output()).toMatch(/\[gateway-[ab]\] refreshed user=/);
    await page2.close();
  });

  it("disconnect revokes at the authorization server and leaves the other user's connection", async () => {
    const [tokens] = await storedTokens('alice');
    expect(tokens?.refreshToken).toBeDefined();
    const refreshToken = tokens?.refreshToken as string;
    expect((await stack.as.introspect(refreshToken)).active).toBe(true);
    const revocations = stack.as.stats.revocations;

    const page = await serverPage(alice);
    await Promise.all([page.waitForURL(`${gateway.url}/`), page.click('#disconnect')]);
    await page.waitForSelector('#no-connections');
    await shot(page, '6-disconnected');

    expect(stack.as.stats.revocations).toBeGreaterThan(revocations);
    expect((await stack.as.introspect(refreshToken)).active).toBe(false);
    expect(await storedTokens('alice')).toEqual([]);
    expect((await callWhoami(await serverPage(bob))).sub).toBe('bob');

    // no page and no log line carried a token
    const secrets = [refreshToken, tokens?.accessToken as string];
    for (const record of await storedTokens('bob'))
      secrets.push(record.accessToken, record.refreshToken as string);
    expect(secrets.every((s) => typeof s === 'string' && s.length > 20)).toBe(true);
    for (const secret of secrets) {
      expect(pagesSeen.some((p) => p.includes(secret))).toBe(false);
      expect(gateway.output().includes(secret)).toBe(false);
    }
    expect(pagesSeen.length).toBeGreaterThan(20);
  });
});

/** The user's connection page, in their tab or a new one. */
async function serverPage(user: User, options: { newTab?: boolean } = {}): Promise<Page> {
  const page = options.newTab ? await user.context.newPage() : user.page;
  await page.goto(`${gateway.url}/servers/${user.connectionId}`);
  return page;
}

async function waitUntil(epochMs: number) {
  const wait = epochMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

describe('one command on embedded defaults', () => {
  it('starts its own test servers and store, and a person can connect and call a tool', async () => {
    // no MCP_SERVER_URL, no REDIS_URL: what a newcomer gets from the README's command
    const embedded = await launchGateway({});
    const context = await browser.newContext();
    try {
      expect(embedded.output()).toMatch(/test servers: MCP http:\/\/127\.0\.0\.1:\d+\/mcp/);
      const carol: User = { name: 'carol', context, page: await context.newPage() };
      const page = carol.page;
      await page.goto(embedded.url);
      await page.fill('input[name=name]', 'carol');
      await Promise.all([page.waitForURL(`${embedded.url}/`), page.click('#signin')]);
      await Promise.all([page.waitForURL(/\/servers\/[A-Za-z0-9_-]+$/), page.click('#connect')]);
      expect((await callWhoami(page)).sub).toBe('carol');
    } finally {
      await context.close();
      await embedded.stop();
    }
  });
});
