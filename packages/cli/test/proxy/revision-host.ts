import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { CLI, type Sandbox } from '../helpers.ts';

/**
 * An MCP host of revision 2026-07-28: the SDK v2 `Client`, spawning the built CLI's `proxy`
 * over stdio. `auto` probes with `server/discover` and falls back to `initialize`; a pinned
 * revision does not fall back. (Over stdio the SDK probes on a short-lived sibling process,
 * so the host spawns the bridge twice.)
 */
export function statelessHost(
  box: Sandbox,
  args: string[],
  mode: 'auto' | { pin: string },
): { client: Client; transport: StdioClientTransport; close(): Promise<void> } {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'proxy', ...args],
    env: box.env as Record<string, string>,
    stderr: 'pipe',
  });
  const client = new Client(
    { name: 'bridge-test-host-2026', version: '0.0.0' },
    { versionNegotiation: { mode } },
  );
  return { client, transport, close: () => client.close() };
}

/**
 * Settles as `promise` does, or rejects once `seconds` pass without an answer: a hang fails the
 * test by name instead of running into the test's timeout (the bound is generous; it measures
 * nothing).
 */
export function answered<T>(promise: Promise<T>, what: string, seconds = 10): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer to ${what}: the bridge hangs`)),
      seconds * 1000,
    );
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

/** Resolves once `condition` holds (checked every 20 ms); bound it with `answered`. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}
