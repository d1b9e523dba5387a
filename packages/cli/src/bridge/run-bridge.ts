import type { BridgeOptions, BridgeResult } from './bridge.ts';
import { closeRemote } from './close-remote.ts';
import { createBridge } from './create-bridge.ts';
import { forwardToRemote } from './forward-to-remote.ts';

/**
 * A stdio bridge: speaks MCP over stdio to a host (the SDK's `StdioServerTransport`) and
 * Streamable HTTP, or the legacy HTTP+SSE transport, to a remote server (the SDK's client
 * transports with an authorized fetch), forwarding every JSON-RPC message unchanged both
 * ways. A request the remote cannot take is answered with a JSON-RPC error, never left
 * hanging. Resolves when the host closes stdin (or `signal` aborts).
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { runBridge } from '@mcp-oauth/cli/bridge';
 * import { fileStore } from '@mcp-oauth/store-file';
 *
 * const serverUrl = 'https://mcp.example.com/mcp';
 * const oauth = createOAuthClient({ serverUrl, store: fileStore() });
 * const result = await runBridge({ serverUrl, oauth });
 * console.error(`bridge ended: ${result.reason}`);
 * ```
 */
export async function runBridge(options: BridgeOptions): Promise<BridgeResult> {
  const bridge = createBridge(options);
  const { stdin, stdout, host, log } = bridge;

  const finished = new Promise<BridgeResult['reason']>((resolve) => {
    stdin.once('end', () => resolve('stdin_closed'));
    stdin.once('close', () => resolve('stdin_closed'));
    stdout.once('error', () => resolve('stdout_closed'));
    stdout.once('close', () => resolve('stdout_closed'));
    if (options.signal?.aborted) resolve('aborted');
    options.signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
  });

  host.onmessage = (message) => void forwardToRemote(bridge, message);
  host.onerror = (error) => log('warn', `unreadable message from the host: ${error.message}`);
  await host.start();
  const reason = await finished;
  bridge.closed = true;
  log('info', `closing (${reason.replace('_', ' ')})`);
  await host.close().catch(() => {});
  const last = bridge.remote;
  bridge.remote = undefined;
  if (last) await closeRemote(last, log);
  return { reason, transport: bridge.remoteKind, forwarded: bridge.counts };
}
