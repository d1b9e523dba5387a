import { type AuthServer, startAuthorizationServer } from '@mcp-oauth/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../helpers.ts';
import { connectThroughBridge, textOf } from './bridge-client.ts';
import { type StatefulMcpServer, startStatefulMcpServer } from './stateful-server.ts';

let as: AuthServer;
let server: StatefulMcpServer;
let box: Sandbox;

beforeAll(async () => {
  as = await startAuthorizationServer({});
  server = await startStatefulMcpServer(as);
  box = await createSandbox();
  const login = await box.run(['login', server.url, '--name', 'stateful']);
  if (login.code !== 0) throw new Error(login.stderr);
});

afterAll(async () => {
  await server?.close();
  await as?.close();
  await box?.close();
});

describe('proxy: sessions', () => {
  it("forwards requests and notifications from the server, and the host's answers", async () => {
    const client = new Client(
      { name: 'host-with-roots', version: '0.0.0' },
      { capabilities: { roots: {} } },
    );
    client.setRequestHandler(ListRootsRequestSchema, async () => ({
      roots: [
        { uri: 'file:///work/a', name: 'a' },
        { uri: 'file:///work/b', name: 'b' },
      ],
    }));
    const notes: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, async (notification) => {
      notes.push(notification.params.data);
    });
    const host = await connectThroughBridge(box, ['stateful'], { client });
    try {
      const roots = await client.callTool({ name: 'roots', arguments: {} });
      expect(textOf(roots)).toBe('a,b');
      const noted = await client.callTool({ name: 'notify', arguments: { text: 'x' } });
      expect(textOf(noted)).toBe('x');
      expect(notes).toEqual(['note: x']);
    } finally {
      await host.close();
    }
  });

  it('a response stream cut before the response is answered with an error, not left hanging', async () => {
    const host = await connectThroughBridge(box, ['stateful']);
    try {
      const pending = host.client
        .callTool({ name: 'hang', arguments: {} }, undefined, { timeout: 15_000 })
        .then(
          () => undefined,
          (error: unknown) => error as { code?: number; message?: string },
        );
      while (server.stats.hanging === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const port = server.port;
      await server.close();
      const failure = await pending;
      expect(failure?.code).toBe(-32000);
      expect(failure?.message).toContain('closed the response stream before answering');
      server = await startStatefulMcpServer(as, { port });
      expect(textOf(await host.client.callTool({ name: 'echo', arguments: { text: 'on' } }))).toBe(
        'on',
      );
    } finally {
      await host.close();
    }
  });

  it('a server restart loses the session: the bridge starts a new one, the host never knows', async () => {
    const host = await connectThroughBridge(box, ['stateful']);
    try {
      expect(textOf(await host.client.callTool({ name: 'echo', arguments: { text: 'a' } }))).toBe(
        'a',
      );
      expect(server.stats.sessions).toBe(2);

      // gone: a clear error, no hang
      const port = server.port;
      await server.close();
      const failure = await host.client.callTool({ name: 'echo', arguments: { text: 'b' } }).then(
        () => undefined,
        (error: unknown) => error as { code?: number; message?: string },
      );
      expect(failure?.code).toBe(-32000);

      // back, with no memory of the session: 404, a new session, the call answered
      server = await startStatefulMcpServer(as, { port });
      const calls = await Promise.all(
        ['c', 'd', 'e'].map((text) => host.client.callTool({ name: 'echo', arguments: { text } })),
      );
      expect(calls.map(textOf)).toEqual(['c', 'd', 'e']);
      expect(server.stats.unknownSession).toBeGreaterThanOrEqual(1);
      expect(server.stats.sessions).toBe(1);
      expect(host.stderr()).toContain('started a new one');
    } finally {
      await host.close();
      if (process.env.SHOW_BRIDGE_LOG) console.log(host.stderr());
    }
  });
});
