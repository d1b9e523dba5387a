import {
  type AuthServer,
  type LegacySseServer,
  type McpTestServer,
  startAuthorizationServer,
  startLegacySseServer,
  startMcpServer,
} from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../helpers.ts';
import { connectThroughBridge, textOf } from './bridge-client.ts';

let as: AuthServer;
let legacy: LegacySseServer;
let modern: McpTestServer;
let box: Sandbox;

beforeAll(async () => {
  as = await startAuthorizationServer({});
  legacy = await startLegacySseServer(as);
  modern = await startMcpServer({ authServer: as });
  box = await createSandbox();
  for (const [url, name] of [
    [legacy.url, 'legacy'],
    [modern.url, 'modern'],
  ] as const) {
    const login = await box.run(['login', url, '--name', name]);
    if (login.code !== 0) throw new Error(login.stderr);
  }
});

afterAll(async () => {
  await legacy?.close();
  await modern?.close();
  await as?.close();
  await box?.close();
});

describe('proxy --transport', () => {
  it('http-first (default) falls back to HTTP+SSE for a legacy server', async () => {
    const host = await connectThroughBridge(box, ['legacy']);
    try {
      const result = await host.client.callTool({ name: 'echo', arguments: { text: 'old' } });
      expect(textOf(result)).toBe('old');
      expect(host.stderr()).toMatch(/connected to .* \(HTTP\+SSE\)/);
      expect(legacy.stats.streams).toBeGreaterThanOrEqual(1);
    } finally {
      await host.close();
    }
  });

  it('sse-only speaks HTTP+SSE at once', async () => {
    const before = legacy.stats.streams;
    const host = await connectThroughBridge(box, ['legacy', '--transport', 'sse-only']);
    try {
      const { tools } = await host.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['echo']);
      expect(legacy.stats.streams).toBe(before + 1);
      expect(host.stderr()).not.toMatch(/trying/);
    } finally {
      await host.close();
    }
  });

  it('http-only does not fall back: initialize fails with a JSON-RPC error', async () => {
    const host = await connectThroughBridge(box, ['legacy', '--transport', 'http-only'], {
      connect: false,
    });
    try {
      await expect(host.client.connect(host.transport)).rejects.toThrow(/405/);
    } finally {
      await host.close();
    }
  });

  it('sse-first falls back to Streamable HTTP for a server without a stream', async () => {
    const host = await connectThroughBridge(box, ['modern', '--transport', 'sse-first']);
    try {
      const result = await host.client.callTool({ name: 'add', arguments: { a: 4, b: 5 } });
      expect(textOf(result)).toBe('9');
      expect(host.stderr()).toMatch(/connected to .* \(Streamable HTTP\)/);
    } finally {
      await host.close();
    }
  });
});
