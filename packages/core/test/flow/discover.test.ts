import { describe, expect, it } from 'vitest';
import { McpOAuthError } from '../../src/errors/error.ts';
import type { McpOAuthEvent } from '../../src/events/types.ts';
import { discover } from '../../src/flow/discover.ts';
import { flowContext } from '../support/context.ts';
import { exampleAs, ISSUER, RESOURCE } from '../support/example-as.ts';
import { fakeServer, json } from '../support/fake-server.ts';

const PRM = '/.well-known/oauth-protected-resource/mcp';

describe('discovery GETs follow the retry policy (retry/policy.ts: any transient failure)', () => {
  function servers(prmAnswers: number[]) {
    const server = fakeServer({
      [`GET ${PRM}`]: () => {
        const status = prmAnswers.shift();
        return status
          ? new Response('busy', { status, headers: { 'retry-after': '0' } })
          : json({ resource: RESOURCE, authorization_servers: [ISSUER] });
      },
      'GET /.well-known/oauth-authorization-server': () => json(exampleAs()),
    });
    const events: McpOAuthEvent[] = [];
    const ctx = flowContext(server.fetch, {
      emit: (e) => events.push(e),
      retry: { attempts: 3, minDelayMs: 1, maxDelayMs: 1 },
    });
    const prmRequests = () => server.requests.filter((r) => new URL(r.url).pathname === PRM).length;
    return { ctx, events, prmRequests };
  }

  it('a 502 on the resource metadata is repeated, and discovery succeeds', async () => {
    const { ctx, events, prmRequests } = servers([502]);
    const record = await discover(ctx, RESOURCE);
    expect(record.issuer).toBe(ISSUER);
    expect(prmRequests()).toBe(2);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
  });

  it('a server that keeps answering 503 gets exactly `attempts` requests, then a retryable error', async () => {
    const { ctx, prmRequests } = servers([503, 503, 503, 503]);
    const error = await discover(ctx, RESOURCE).catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'http_error')).toBe(true);
    expect((error as McpOAuthError).retryable).toBe(true);
    expect(prmRequests()).toBe(3);
  });
});

describe('a challenge naming the cached metadata URL written differently (A10)', () => {
  it('reuses the cached discovery: no metadata request', async () => {
    const server = fakeServer({
      [`GET ${PRM}`]: () => json({ resource: RESOURCE, authorization_servers: [ISSUER] }),
      'GET /.well-known/oauth-authorization-server': () => json(exampleAs()),
    });
    const events: McpOAuthEvent[] = [];
    const ctx = flowContext(server.fetch, { emit: (e) => events.push(e) });
    const first = await discover(ctx, RESOURCE);
    expect(first.resourceMetadataUrl).toBe(`https://mcp.example${PRM}`);
    const requests = server.requests.length;
    const again = await discover(ctx, RESOURCE, {
      resourceMetadataUrl: `HTTPS://MCP.Example:443/./.well-known/oauth-protected-resource/mcp`,
    });
    expect(again).toEqual(first);
    expect(server.requests).toHaveLength(requests);
    expect(events.at(-1)).toMatchObject({ type: 'discovery', cached: true });
  });
});
