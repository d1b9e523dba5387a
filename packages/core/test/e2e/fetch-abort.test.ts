import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import type { McpOAuthClient } from '../../src/client/types.ts';
import type { FetchLike } from '../../src/http/types.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import type { RedirectInteraction } from '../../src/interaction/types.ts';
import { storeKeys } from '../../src/store/keys.ts';
import { createMemoryBacking, memoryStore } from '../../src/store/memory.ts';
import { initializeRequest } from './initialize-request.ts';

const redirectUri = 'http://127.0.0.1:9/callback';
/**
 * A login that waits for the test: its `authorize` is called (`reached`), then waits until
 * `complete()` before the headless walk through the real authorization server. `settled` is
 * set when its `authorize` returns or throws; `calls` counts the logins.
 */
function heldLogin() {
  const headless = headlessInteraction({ redirectUri });
  let complete!: () => void;
  const held = new Promise<void>((resolve) => {
    complete = resolve;
  });
  let reach!: () => void;
  const login = {
    calls: 0,
    settled: false,
    /** The signal the flow gave the interaction: aborted only when the login is abandoned. */
    signal: undefined as AbortSignal | undefined,
    reached: new Promise<void>((resolve) => {
      reach = resolve;
    }),
    complete: () => complete(),
    interaction: {
      kind: 'redirect',
      prepare: headless.prepare,
      async authorize(args) {
        login.calls += 1;
        login.signal = args.signal;
        reach();
        try {
          await held;
          return await headless.authorize(args);
        } finally {
          login.settled = true;
        }
      },
    } satisfies RedirectInteraction,
  };
  return login;
}

/** Both ways a request is authorized: the client's own fetch and the fetch middleware. */
const ways: [string, (oauth: McpOAuthClient) => FetchLike][] = [
  ['oauth.fetch', (oauth) => oauth.fetch],
  ['oauth.middleware()', (oauth) => oauth.middleware()(globalThis.fetch)],
];

describe("the caller's abort while a request waits for its token", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  for (const [way, fetchOf] of ways) {
    it(`${way}: rejects with the signal's reason while the login is still pending; the login goes on for the callers who share it`, async () => {
      const login = heldLogin();
      const oauth = createOAuthClient({
        serverUrl: stack.mcp.url,
        store: memoryStore(),
        interaction: login.interaction,
      });
      const authorizations = stack.as.stats.authorizations;
      const controller = new AbortController();
      const reason = new Error('the user gave up');
      const request = fetchOf(oauth)(stack.mcp.url, initializeRequest(controller.signal)).then(
        () => 'resolved',
        (error: unknown) => error,
      );
      await login.reached; // a 401, then the login this request waits for
      controller.abort(reason);
      expect(await request).toBe(reason);
      expect(login.settled).toBe(false); // it did not wait for the login to end
      expect(login.signal?.aborted).toBe(false); // nor did it abandon the login

      // another caller waits for the same login, which completes and gives it the token
      const token = oauth.getAccessToken();
      login.complete();
      expect(await token).toMatch(/\S{20,}/);
      expect(login.calls).toBe(1);
      expect(stack.as.stats.authorizations).toBe(authorizations + 1);
      // and the client's requests go through with it, without another login
      const response = await fetchOf(oauth)(stack.mcp.url, initializeRequest());
      expect(response.status).toBe(200);
      await response.body?.cancel();
      expect(login.calls).toBe(1);
    });
  }

  it("a refresh waiting for the store's lock: each caller's abort rejects at once; the refresh goes on for the others", async () => {
    const backing = createMemoryBacking();
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore({ backing }),
      interaction: headlessInteraction({ redirectUri }),
    });
    const { issuer, resource } = await oauth.authorize();
    // another process holds the lock of these tokens
    const lock = await memoryStore({ backing }).lock(storeKeys.tokens(issuer, resource));
    // and this one finds them due for a refresh: it asks for the lock
    const store = memoryStore({ backing });
    let lockAsked!: () => void;
    const asked = new Promise<void>((resolve) => {
      lockAsked = resolve;
    });
    const due = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: {
        ...store,
        lock: (key, options) => {
          lockAsked();
          return store.lock(key, options);
        },
      },
      interaction: headlessInteraction({ redirectUri }),
      now: () => Date.now() + 3_570_000, // one-hour tokens, 59 min 30 s later
    });
    const refreshes = stack.as.stats.refreshSuccess;
    const controller = new AbortController();
    const [first, second] = ways.map(([, fetchOf]) =>
      fetchOf(due)(stack.mcp.url, initializeRequest(controller.signal)).then(
        () => 'resolved',
        (error: unknown) => error,
      ),
    );
    await asked; // the refresh the requests wait for is waiting for the lock
    const other = due.getAccessToken(); // a caller that waits for the same refresh
    controller.abort();
    expect(await first).toBe(controller.signal.reason);
    expect(await second).toBe(controller.signal.reason);
    expect(stack.as.stats.refreshSuccess).toBe(refreshes); // the lock is still held
    await lock.release();
    expect(await other).toMatch(/\S{20,}/);
    expect(stack.as.stats.refreshSuccess).toBe(refreshes + 1); // one refresh, not abandoned
  });

  it('an already-aborted signal rejects before anything is sent, even with tokens due for a refresh', async () => {
    const store = memoryStore();
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: headlessInteraction({ redirectUri }),
      now: () => Date.now() + 3_570_000, // due for a refresh once authorized
    });
    await createOAuthClient({
      serverUrl: stack.mcp.url,
      store,
      interaction: headlessInteraction({ redirectUri }),
    }).authorize();
    const asRequests = stack.as.stats.requests.total;
    const mcpRequests = stack.mcp.stats.requests;
    for (const [way, fetchOf] of ways) {
      const reason = new Error(`aborted before ${way}`);
      const signal = AbortSignal.abort(reason);
      await expect(fetchOf(oauth)(stack.mcp.url, initializeRequest(signal))).rejects.toBe(reason);
    }
    expect(stack.as.stats.requests.total).toBe(asRequests);
    expect(stack.mcp.stats.requests).toBe(mcpRequests);
    // the tokens were left as they were: the next request refreshes them and goes through
    const response = await oauth.fetch(stack.mcp.url, initializeRequest());
    expect(response.status).toBe(200);
    await response.body?.cancel();
  });
});
