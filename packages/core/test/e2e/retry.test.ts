import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Stack, startStack } from '@mcp-oauth/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../../src/client/create-client.ts';
import { clientCredentials } from '../../src/client-credentials.ts';
import { McpOAuthError } from '../../src/errors/error.ts';
import type { McpOAuthEvent } from '../../src/events/types.ts';
import type { FetchLike } from '../../src/http/types.ts';
import { headlessInteraction } from '../../src/interaction/headless.ts';
import { memoryStore } from '../../src/store/memory.ts';

/**
 * One retry policy (issue 13, retry/policy.ts), seen from the real authorization server: a small
 * HTTP server in front of its token endpoint answers the next requests of a grant type with the
 * statuses queued for it (503, 502) and forwards the others; it counts what it receives.
 */
interface TokenFront {
  url: string;
  /** Statuses to answer, in order, to the next token requests of each grant type. */
  faults: Record<string, number[]>;
  /** Token requests received, by grant type (answered or forwarded). */
  received: Record<string, number>;
  close(): Promise<void>;
}

async function tokenFront(tokenEndpoint: string): Promise<TokenFront> {
  const faults: Record<string, number[]> = {};
  const received: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const grant = new URLSearchParams(body.toString()).get('grant_type') ?? '';
      received[grant] = (received[grant] ?? 0) + 1;
      const fault = faults[grant]?.shift();
      if (fault) {
        res.writeHead(fault, { 'content-type': 'text/plain', 'retry-after': '0' });
        res.end('unavailable');
        return;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers.set(k, v);
      const answer = await fetch(tokenEndpoint, { method: 'POST', headers, body });
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    faults,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('one retry policy against the real authorization server (retry/policy.ts)', () => {
  let stack: Stack;
  let front: TokenFront;
  let tokenEndpoint: string;
  /** The client's fetch: token requests go through the front server, the rest directly. */
  const viaFront: FetchLike = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return fetch(url === tokenEndpoint ? front.url : input, init);
  };

  beforeAll(async () => {
    stack = await startStack({
      as: {
        clients: [
          {
            client_id: 'service-1',
            client_secret: 'service-secret-of-at-least-32-characters',
            grant_types: ['client_credentials'],
            response_types: [],
            redirect_uris: [],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
      },
    });
    const metadata = (await (
      await fetch(`${stack.as.issuer}/.well-known/oauth-authorization-server`)
    ).json()) as { token_endpoint: string };
    tokenEndpoint = metadata.token_endpoint;
    front = await tokenFront(tokenEndpoint);
  });
  afterAll(async () => {
    await front?.close();
    await stack?.close();
  });
  beforeEach(() => {
    for (const k of Object.keys(front.faults)) delete front.faults[k];
    for (const k of Object.keys(front.received)) delete front.received[k];
  });

  const person = (events: McpOAuthEvent[], attempts: number) =>
    createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      fetch: viaFront,
      interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
      retry: { attempts, minDelayMs: 1, maxDelayMs: 5 },
      onEvent: (e) => events.push(e),
    });

  it('attempts: 3 means exactly 3 requests for a token endpoint that keeps answering 503', async () => {
    const events: McpOAuthEvent[] = [];
    const oauth = person(events, 3);
    await oauth.authorize();
    front.faults.refresh_token = [503, 503, 503, 503, 503];
    const error = await oauth.refresh().catch((e: unknown) => e);
    expect(front.received.refresh_token).toBe(3);
    expect(McpOAuthError.isInstance(error) && error.status).toBe(503);
    expect((error as McpOAuthError).retryable).toBe(true);
    // where, and what to do
    expect((error as Error).message).toMatch(
      /^The refresh request failed with HTTP 503 .*\. The authorization server is down or busy: try again later\.$/,
    );
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2);
  });

  it('attempts: 1 means one request, no retry', async () => {
    const oauth = person([], 1);
    await oauth.authorize();
    front.faults.refresh_token = [503];
    await expect(oauth.refresh()).rejects.toMatchObject({ status: 503 });
    expect(front.received.refresh_token).toBe(1);
  });

  it('a refresh is not repeated after a 502 (its lost answer may have rotated the refresh token); the tokens are kept', async () => {
    const oauth = person([], 3);
    const before = await oauth.authorize();
    front.faults.refresh_token = [502];
    const error = await oauth.refresh().catch((e: unknown) => e);
    expect(front.received.refresh_token).toBe(1);
    expect(McpOAuthError.isInstance(error) && error.retryable).toBe(false);
    expect((await oauth.status())?.obtainedAt).toBe(before.obtainedAt);
    // and after a 503 (the server did not act on it), it is repeated and succeeds
    front.faults.refresh_token = [503];
    await oauth.refresh();
    expect(front.received.refresh_token).toBe(3);
  });

  it('a code exchange is not repeated after a 502 (the code is single-use)', async () => {
    const oauth = person([], 3);
    front.faults.authorization_code = [502];
    await expect(oauth.authorize()).rejects.toMatchObject({ status: 502, retryable: false });
    expect(front.received.authorization_code).toBe(1);
  });

  it('client_credentials is repeated after a 502 (no state is consumed)', async () => {
    const events: McpOAuthEvent[] = [];
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: memoryStore(),
      fetch: viaFront,
      client: { clientId: 'service-1', clientSecret: 'service-secret-of-at-least-32-characters' },
      interaction: clientCredentials(),
      retry: { attempts: 3, minDelayMs: 1, maxDelayMs: 5 },
      onEvent: (e) => events.push(e),
    });
    front.faults.client_credentials = [502, 503];
    expect(await oauth.getAccessToken()).toBeTruthy();
    expect(front.received.client_credentials).toBe(3);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2);
  });
});
