import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { BridgeError } from '../bridge/bridge.ts';
import { errorResponse, isRequest } from '../bridge/messages.ts';

/**
 * A bridge that cannot start (its store cannot be opened, no server has the name it was given)
 * still answers its host: every request gets `failure` as its JSON-RPC error until the host
 * closes stdin or `signal` aborts, so that the reason and the command that fixes it reach the
 * host's UI instead of a closed connection. Notifications are dropped.
 */
export async function answerUntilClosed(failure: BridgeError, signal: AbortSignal): Promise<void> {
  const host = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  host.onmessage = (message) => {
    if (isRequest(message))
      void host
        .send(errorResponse(message.id, failure.code, failure.message, failure.data))
        .catch(() => {});
  };
  await host.start();
  await closed;
  await host.close().catch(() => {});
}
