import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { expect } from 'vitest';
import { CLI, type Sandbox } from '../helpers.ts';

/** An MCP host: the official SDK Client, spawning the built CLI's `proxy` over stdio. */
export interface BridgeHost {
  client: Client;
  transport: StdioClientTransport;
  stderr(): string;
  close(): Promise<void>;
}

export async function connectThroughBridge(
  box: Sandbox,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; connect?: boolean; client?: Client } = {},
): Promise<BridgeHost> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'proxy', ...args],
    env: { ...box.env, ...options.env } as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = options.client ?? new Client({ name: 'bridge-test-host', version: '0.0.0' });
  if (options.connect !== false) await client.connect(transport);
  return {
    client,
    transport,
    stderr: () => stderr,
    close: () => client.close(),
  };
}

/** The text of a tools/call result. */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? '').join('');
}

/** A host's `initialize` request, as one line of the stdio transport. */
export function initializeLine(id = 1): string {
  return `${JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'h', version: '1' },
    },
  })}\n`;
}

/** Waits (bounded) until the process is gone. */
export async function untilExited(pid: number): Promise<void> {
  expect(pid).toBeGreaterThan(0);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`process ${pid} still runs`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The bridge's process id, from its log lines' prefix (the transport forgets it once closed). */
export function bridgePid(host: BridgeHost): number {
  return Number(host.stderr().match(/^\[mcp-oauth proxy (\d+)\]/m)?.[1]);
}
