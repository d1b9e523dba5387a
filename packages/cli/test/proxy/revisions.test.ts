import {
  type AuthServer,
  type McpTestServer,
  startAuthorizationServer,
  startMcpServer,
} from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../helpers.ts';
import { connectThroughBridge, textOf } from './bridge-client.ts';
import { type Revision2026Server, startRevision2026Server } from './revision-2026-server.ts';
import { answered, statelessHost, until } from './revision-host.ts';
import { type StatefulMcpServer, startStatefulMcpServer } from './stateful-server.ts';

let as: AuthServer;
/** 2026-07-28, also serving 2025-era requests (legacy: 'stateless', the SDK's default). */
let both: Revision2026Server;
/** 2026-07-28 only (legacy: 'reject'). */
let strict: Revision2026Server;
/** 2025-11-25 only: the project's test server (stateless) and a server with sessions. */
let old: McpTestServer;
let sessions: StatefulMcpServer;
let box: Sandbox;

beforeAll(async () => {
  as = await startAuthorizationServer({});
  both = await startRevision2026Server(as);
  strict = await startRevision2026Server(as, { legacy: 'reject' });
  old = await startMcpServer({ authServer: as });
  sessions = await startStatefulMcpServer(as);
  box = await createSandbox();
  for (const [url, name] of [
    [both.url, 'both'],
    [strict.url, 'strict'],
    [old.url, 'old'],
    [sessions.url, 'sessions'],
  ] as const) {
    const login = await box.run(['login', url, '--name', name]);
    if (login.code !== 0) throw new Error(login.stderr);
  }
});

afterAll(async () => {
  await both?.close();
  await strict?.close();
  await old?.close();
  await sessions?.close();
  await as?.close();
  await box?.close();
});

describe('proxy: protocol revisions (host × remote)', () => {
  it('a 2025-11-25 host reaches a 2026-07-28 server that serves 2025-era requests', async () => {
    const host = await connectThroughBridge(box, ['both']);
    try {
      const { tools } = await answered(host.client.listTools(), 'tools/list');
      expect(tools.map((t) => t.name).sort()).toEqual(['add', 'echo', 'forecast', 'wait']);
      const sum = await answered(
        host.client.callTool({ name: 'add', arguments: { a: 2, b: 3 } }),
        'tools/call',
      );
      expect(textOf(sum)).toBe('5');
      expect(host.client.getServerVersion()?.name).toBe('revision-2026-server');
    } finally {
      await host.close();
    }
    // 2025-era all the way: initialize, then the revision in the header, no envelope
    expect(both.stats.posts.map((p) => p.method)).toContain('initialize');
    expect(both.stats.posts.find((p) => p.method === 'tools/call')?.protocolVersion).toBe(
      '2025-11-25',
    );
  });

  for (const [mode, server] of [
    ['auto', 'both'],
    ['auto', 'strict'],
    [{ pin: '2026-07-28' }, 'strict'],
  ] as const) {
    it(`a 2026-07-28 host (versionNegotiation ${JSON.stringify(mode)}) reaches a 2026-07-28 server (${server}), statelessly`, async () => {
      const target = server === 'both' ? both : strict;
      target.stats.posts.length = 0;
      const host = statelessHost(box, [server], mode);
      try {
        await answered(host.client.connect(host.transport), 'server/discover');
        expect(host.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
        const { tools } = await answered(host.client.listTools(), 'tools/list');
        expect(tools.map((t) => t.name).sort()).toEqual(['add', 'echo', 'forecast', 'wait']);
        const echo = await answered(
          host.client.callTool({ name: 'echo', arguments: { text: 'ünïcødé ✓' } }),
          'tools/call',
        );
        expect(textOf(echo)).toBe('ünïcødé ✓');
        // arguments declared x-mcp-header go in Mcp-Param-* headers too, or the server refuses
        const forecast = await answered(
          host.client.callTool({ name: 'forecast', arguments: { region: 'Zürich', days: 3 } }),
          'tools/call',
        );
        expect(textOf(forecast)).toBe('Zürich 3');
      } finally {
        await host.close();
      }
      // forwarded as the host sent it, with the headers 2026-07-28 requires over HTTP
      expect(target.stats.posts).toEqual([
        { method: 'server/discover', protocolVersion: '2026-07-28' },
        { method: 'tools/list', protocolVersion: '2026-07-28' },
        { method: 'tools/call', protocolVersion: '2026-07-28' },
        { method: 'tools/call', protocolVersion: '2026-07-28' },
      ]);
    });
  }

  it('a 2026-07-28 host cancelling a request: the bridge closes its HTTP stream, as that revision cancels', async () => {
    strict.stats.posts.length = 0;
    const cancelled = strict.stats.cancelled;
    const host = statelessHost(box, ['strict'], { pin: '2026-07-28' });
    try {
      await answered(host.client.connect(host.transport), 'server/discover');
      const abort = new AbortController();
      const call = host.client
        .callTool({ name: 'wait', arguments: {} }, { signal: abort.signal })
        .then(
          () => 'answered',
          () => 'rejected',
        );
      await answered(
        until(() => strict.stats.waits > 0),
        'the call reaching the server',
      );
      // stdio has no stream to close: the host sends notifications/cancelled
      abort.abort();
      expect(await answered(call, 'the cancelled call')).toBe('rejected');
      await answered(
        until(() => strict.stats.cancelled > cancelled),
        'the cancellation reaching the server',
      );
      // the stream closed is the signal: no notifications/cancelled is posted (2026-07-28)
      expect(strict.stats.posts.map((p) => p.method)).not.toContain('notifications/cancelled');
      // the bridge still serves the host
      const sum = await answered(
        host.client.callTool({ name: 'add', arguments: { a: 1, b: 1 } }),
        'tools/call after the cancellation',
      );
      expect(textOf(sum)).toBe('2');
    } finally {
      await host.close();
    }
  });

  for (const server of ['old', 'sessions'] as const) {
    it(`a 2026-07-28 host (auto) falls back to 2025-11-25 with a 2025-era server (${server})`, async () => {
      const host = statelessHost(box, [server], 'auto');
      try {
        await answered(host.client.connect(host.transport), 'server/discover, then initialize');
        expect(host.client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
        const echo = await answered(
          host.client.callTool({ name: 'echo', arguments: { text: 'fell back' } }),
          'tools/call',
        );
        expect(textOf(echo)).toBe('fell back');
      } finally {
        await host.close();
      }
    });

    it(`a host pinned to 2026-07-28 gets an error naming both revisions from a 2025-era server (${server})`, async () => {
      const host = statelessHost(box, [server], { pin: '2026-07-28' });
      try {
        const failure = await answered(
          host.client.connect(host.transport).then(
            () => undefined,
            (error: unknown) => error as Error & { data?: unknown },
          ),
          'server/discover',
        );
        expect(failure).toBeInstanceOf(Error);
        expect(failure?.message).toMatch(/did not answer server\/discover/);
        expect(failure?.message).toMatch(/2025-11-25/);
        expect(failure?.message).toMatch(/not 2026-07-28, the revision of this host/);
      } finally {
        await host.close();
      }
    });
  }

  it('a 2025-11-25 host gets an error naming both revisions from a 2026-07-28-only server', async () => {
    const host = await connectThroughBridge(box, ['strict'], { connect: false });
    try {
      const failure = await answered(
        host.client.connect(host.transport).then(
          () => undefined,
          (error: unknown) => error as Error & { code?: unknown; data?: unknown },
        ),
        'initialize',
      );
      expect(failure?.code).toBe(-32022);
      expect(failure?.data).toEqual({ supported: ['2026-07-28'], requested: '2025-11-25' });
      expect(failure?.message).toMatch(
        /speaks MCP 2026-07-28 and not 2025-11-25, the revision of this host/,
      );
      expect(failure?.message).toMatch(/versionNegotiation 'auto'/);
      // the server's own answer, not a fallback to the legacy HTTP+SSE transport
      expect(host.stderr()).not.toMatch(/trying sse/);
    } finally {
      await host.close();
    }
  });
});
