import { completeAuthorization, type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../../src/client/create-client.ts';
import { McpOAuthError } from '../../../src/errors/error.ts';
import type { McpOAuthEvent } from '../../../src/events/types.ts';
import type { FlowContext } from '../../../src/flow/context.ts';
import { createFlowContext } from '../../../src/flow/create-flow-context.ts';
import { runFlow } from '../../../src/flow/run.ts';
import { saveAuthorized } from '../../../src/flow/save-authorized.ts';
import type { AwaitingRedirectState, StartState } from '../../../src/flow/states.ts';
import {
  beginTransition,
  completeRedirectTransition,
  discoverTransition,
  registerTransition,
} from '../../../src/flow/transitions.ts';
import { headlessInteraction } from '../../../src/interaction/headless.ts';
import { storeKeys } from '../../../src/store/keys.ts';
import { memoryStore } from '../../../src/store/memory.ts';
import { flowContext } from '../../support/context.ts';

const REDIRECT = 'http://127.0.0.1:9/callback';

function context(events: McpOAuthEvent[] = []): FlowContext {
  let n = 0;
  return flowContext(undefined, {
    randomString: () => `random-value-${++n}-${'x'.repeat(43)}`,
    emit: (e) => events.push(e),
  });
}

describe('flow transitions (against a real authorization server)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const start = (extra: Partial<StartState> = {}): StartState => ({
    step: 'start',
    serverUrl: stack.mcp.url,
    grant: 'redirect',
    ...extra,
  });

  it('start → discovered: metadata of both servers, cached, and the scope from resource metadata', async () => {
    const ctx = context();
    const discovered = await discoverTransition(ctx, start());
    expect(discovered.step).toBe('discovered');
    expect(discovered.discovery.issuer).toBe(stack.as.issuer);
    expect(discovered.discovery.resource).toBe(stack.mcp.resource);
    expect(discovered.scope).toBe('mcp:read mcp:write offline_access');
    expect(await ctx.store.get(storeKeys.discovery(stack.mcp.resource))).toBeDefined();
    // the challenge's scope wins over scopes_supported
    const fromChallenge = await discoverTransition(ctx, start({ challengeScope: 'mcp:read' }));
    expect(fromChallenge.scope).toBe('mcp:read offline_access');
  });

  it('discovered → registered: dynamic registration stored per issuer and reused', async () => {
    const ctx = context();
    const discovered = await discoverTransition(ctx, start());
    const registered = await registerTransition(ctx, discovered, {}, REDIRECT);
    expect(registered.client.source).toBe('dynamic-registration');
    expect(registered.client.issuer).toBe(stack.as.issuer);
    expect(registered.client.grantTypes).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token']),
    );
    const before = stack.as.stats.registrations;
    const again = await registerTransition(ctx, discovered, {}, 'http://127.0.0.1:10/callback'); // another loopback port
    expect(again.client.clientId).toBe(registered.client.clientId);
    expect(stack.as.stats.registrations).toBe(before);
  });

  it('a stored registration is never reused with another issuer', async () => {
    const ctx = context();
    const discovered = await discoverTransition(ctx, start());
    const registered = await registerTransition(ctx, discovered, {}, REDIRECT);
    // the same resource now points to another issuer: a new registration is needed
    const moved = structuredClone(discovered);
    moved.discovery.authorizationServerMetadata.issuer = `${stack.as.issuer}/elsewhere`;
    await ctx.store.set(storeKeys.client(`${stack.as.issuer}/elsewhere`), {
      ...(await ctx.store.get(storeKeys.client(stack.as.issuer))),
      issuer: stack.as.issuer,
    } as never);
    const before = stack.as.stats.registrations;
    const other = await registerTransition(ctx, moved, {}, REDIRECT);
    expect(other.client.issuer).toBe(`${stack.as.issuer}/elsewhere`);
    expect(other.client.clientId).not.toBe(registered.client.clientId);
    expect(stack.as.stats.registrations).toBe(before + 1);
  });

  it('registered → awaiting_redirect: PKCE S256, state, resource, scope; the state is plain JSON', async () => {
    const ctx = context();
    const registered = await registerTransition(
      ctx,
      await discoverTransition(ctx, start()),
      {},
      REDIRECT,
    );
    const waiting = (await beginTransition(ctx, registered, {})) as AwaitingRedirectState;
    expect(waiting.step).toBe('awaiting_redirect');
    const url = new URL(waiting.pending.authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBe(waiting.pending.state);
    expect(url.searchParams.get('resource')).toBe(stack.mcp.resource);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(url.searchParams.get('scope')).toBe('mcp:read mcp:write offline_access');
    expect(JSON.parse(JSON.stringify(waiting))).toEqual(waiting);
  });

  it('awaiting_redirect → authorized: resumes from a serialized state (another process) and returns the tokens, storing nothing (saveAuthorized stores them)', async () => {
    const ctx = context();
    const registered = await registerTransition(
      ctx,
      await discoverTransition(ctx, start()),
      {},
      REDIRECT,
    );
    const waiting = (await beginTransition(ctx, registered, {})) as AwaitingRedirectState;
    const suspended = JSON.stringify(waiting);
    const callback = await completeAuthorization(waiting.pending.authorizationUrl);
    const resumed = JSON.parse(suspended) as AwaitingRedirectState;
    const done = await completeRedirectTransition(ctx, resumed, callback, {});
    expect(done.step).toBe('authorized');
    expect(done.tokens.resource).toBe(stack.mcp.resource);
    const key = storeKeys.tokens(stack.as.issuer, stack.mcp.resource);
    expect(await ctx.store.get(key)).toBeUndefined();
    await saveAuthorized(ctx, done);
    expect((await ctx.store.get(key))?.accessToken).toBe(done.tokens.accessToken);
  });

  it('a callback for another redirect URI is refused', async () => {
    const ctx = context();
    const registered = await registerTransition(
      ctx,
      await discoverTransition(ctx, start()),
      {},
      REDIRECT,
    );
    const waiting = (await beginTransition(ctx, registered, {})) as AwaitingRedirectState;
    const error = await completeRedirectTransition(
      ctx,
      waiting,
      `http://127.0.0.1:9/other?code=x&state=${waiting.pending.state}`,
      {},
    ).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'interaction_failed')).toBe(true);
  });

  it('registered → authorized for client credentials, with no person', async () => {
    const ctx = context();
    const discovered = await discoverTransition(ctx, start({ grant: 'client-credentials' }));
    const error = await registerTransition(ctx, discovered, {}, undefined).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
  });

  it('insecure http endpoints on other hosts are refused', async () => {
    const ctx = context();
    const discovered = await discoverTransition(ctx, start());
    const registered = await registerTransition(ctx, discovered, {}, REDIRECT);
    registered.discovery.authorizationServerMetadata.authorization_endpoint =
      'http://auth.example.com/authorize';
    const error = await beginTransition(ctx, registered, {}).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'insecure_url')).toBe(true);
  });

  it('createFlowContext, runFlow and saveAuthorized: an application drives the flow itself, and a client on the same store uses its tokens', async () => {
    const store = memoryStore();
    const events: string[] = [];
    const ctx = createFlowContext({
      serverUrl: stack.mcp.url,
      store,
      onEvent: (e) => {
        events.push(e.type);
        throw new Error('a failing listener does not break the flow');
      },
    });
    const done = await runFlow(
      ctx,
      { step: 'start', serverUrl: stack.mcp.url },
      {},
      headlessInteraction({ redirectUri: REDIRECT }),
    );
    expect(await store.list('tokens:')).toEqual([]);
    await saveAuthorized(ctx, done);
    expect(events).toContain('authorized');
    const client = createOAuthClient({ serverUrl: stack.mcp.url, store });
    expect(await client.getAccessToken()).toBe(done.tokens.accessToken);
  });
});
