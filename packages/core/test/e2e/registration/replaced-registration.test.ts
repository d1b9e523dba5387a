import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOAuthClient } from '../../../src/client/create-client.ts';
import { deviceInteraction } from '../../../src/interaction/device-interaction.ts';
import { headlessInteraction } from '../../../src/interaction/headless.ts';
import { storeKeys } from '../../../src/store/keys.ts';
import { memoryStore } from '../../../src/store/memory.ts';
import type { ClientRecord } from '../../../src/store/records.ts';

/**
 * A login that needs another registration (the device flow, where the first registration was
 * for the authorization code flow only) registers anew before the person signs in. When that
 * login does not end (abandoned, timed out), the tokens of the first registration are still
 * held: they keep being refreshed and revoked with the registration they were issued to.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

it('an abandoned login that registered anew leaves the tokens held working: refresh, then logout with revocation', async () => {
  const store = memoryStore();
  const serverUrl = stack.mcp.url;
  const browser = createOAuthClient({
    serverUrl,
    store,
    interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
  });
  const first = await browser.authorize();

  // a device login, given up while the code waits
  let shown!: () => void;
  const prompted = new Promise<void>((resolve) => {
    shown = resolve;
  });
  const device = createOAuthClient({
    serverUrl,
    store,
    interaction: deviceInteraction({ prompt: () => shown() }),
  });
  const abandoned = device.authorize().catch((e: unknown) => e);
  await prompted;
  await device[Symbol.asyncDispose]();
  await abandoned;

  const key = storeKeys.client(stack.as.issuer);
  const client = (await store.get(key)) as unknown as ClientRecord;
  expect(client.clientId).not.toBe(first.clientId);
  expect(client.previous?.clientId).toBe(first.clientId);
  // the new registration asked for what the one it replaced had too: the flows stop replacing
  // each other
  expect(client.grantTypes).toEqual(
    expect.arrayContaining([
      'authorization_code',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:device_code',
    ]),
  );

  // the tokens held are the first registration's: refreshed with it
  const again = createOAuthClient({ serverUrl, store });
  const refreshes = stack.as.stats.refreshSuccess;
  const refreshed = await again.refresh();
  expect(stack.as.stats.refreshSuccess).toBe(refreshes + 1);
  expect(refreshed.clientId).toBe(first.clientId);
  // and revoked with it
  const result = await again.logout();
  expect(result.warnings).toEqual([]);
  expect(result.revoked).toContain('refresh_token');
  // a browser login now uses the new registration: no other is made
  const registrations = stack.as.stats.registrations;
  const next = await browser.authorize();
  expect(next.clientId).toBe(client.clientId);
  expect(stack.as.stats.registrations).toBe(registrations);
}, 30_000);
