import { spawn } from 'node:child_process';
import {
  type AuthServer,
  type McpTestServer,
  startAuthorizationServer,
  startMcpServer,
} from '@mcp-oauth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, createSandbox, type Sandbox } from '../helpers.ts';
import { type BridgeHost, connectThroughBridge, textOf } from './bridge-client.ts';

let as: AuthServer;
let mcp: McpTestServer;
let box: Sandbox;
let host: BridgeHost;

beforeAll(async () => {
  as = await startAuthorizationServer({});
  // SSE: every POST is answered with a text/event-stream response
  mcp = await startMcpServer({ authServer: as, jsonResponse: false });
  box = await createSandbox();
  const login = await box.run(['login', mcp.url, '--name', 'demo']);
  if (login.code !== 0) throw new Error(login.stderr);
  host = await connectThroughBridge(box, ['demo']);
});

afterAll(async () => {
  await host?.close();
  await mcp?.close();
  await as?.close();
  await box?.close();
});

describe('mcp-oauth proxy: the stdio bridge', () => {
  it('forwards initialize, tools/list and tools/call (streamed as SSE by the server)', async () => {
    expect(host.client.getServerVersion()?.name).toBe('mcp-oauth-test-server');
    const { tools } = await host.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['add', 'admin_reset', 'echo', 'whoami']);
    const sum = await host.client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    expect(textOf(sum)).toBe('5');
    // many at once: each answered by its own id
    const many = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        host.client.callTool({ name: 'add', arguments: { a: i, b: 1000 } }),
      ),
    );
    expect(many.map(textOf)).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 1000)));
  });

  it('carries a large payload both ways unchanged', async () => {
    const text = 'x'.repeat(300_000) + 'ünïcødé ✓'.repeat(1000);
    const result = await host.client.callTool({ name: 'echo', arguments: { text } });
    expect(textOf(result)).toBe(text);
  });

  it('answers with a JSON-RPC error while the server is gone, and recovers when it returns', async () => {
    const port = mcp.port;
    await mcp.close();
    const failure = await host.client.callTool({ name: 'add', arguments: { a: 1, b: 1 } }).then(
      () => undefined,
      (error: unknown) => error as { code?: number; message?: string },
    );
    expect(failure?.code).toBe(-32000);
    expect(failure?.message).toContain(mcp.url);
    mcp = await startMcpServer({ authServer: as, jsonResponse: false, port });
    const again = await host.client.callTool({ name: 'add', arguments: { a: 1, b: 1 } });
    expect(textOf(again)).toBe('2');
  });

  it('a URL with no MCP server (404): the answer says so and names inspect; no HTML page in the log', async () => {
    const typo = `${mcp.url}x`;
    const other = await connectThroughBridge(box, [typo], {
      env: { BROWSER: 'none' },
      connect: false,
    });
    try {
      const error = await other.client.connect(other.transport).then(
        () => undefined,
        (e: unknown) => e as { code?: number; message?: string },
      );
      expect(error?.code).toBe(-32000);
      expect(error?.message).toContain(
        `${typo} answered HTTP 404: SSE error: Non-200 status code (404). No MCP server answers at this URL: check it (\`mcp-oauth inspect ${typo}\` shows what it serves).`,
      );
      expect(other.stderr()).toContain('(an HTML page)');
      expect(other.stderr()).not.toMatch(/<!doctype|<html/i);
    } finally {
      await other.close();
    }
  });

  it('exits 0 by itself when the host closes stdin', async () => {
    const child = spawn(process.execPath, [CLI, 'proxy', 'demo'], {
      env: box.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } })}\n`,
    );
    await new Promise<void>((resolve) => {
      const check = () => (stdout.includes('\n') ? resolve() : setTimeout(check, 20));
      check();
    });
    expect(JSON.parse(stdout.split('\n')[0] ?? '')).toMatchObject({
      id: 1,
      result: { serverInfo: { name: 'mcp-oauth-test-server' } },
    });
    child.stdin.end();
    expect(await exited).toEqual({ code: 0, signal: null });
  });
});
