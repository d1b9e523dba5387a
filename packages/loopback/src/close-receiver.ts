import { McpOAuthError } from '@mcp-oauth/core';
import type { ReceiverState } from './receiver.ts';

/** How long other connections may linger after the callback was answered. */
const CLOSE_GRACE_MS = 500;

/**
 * Stops listening and closes every connection (idle ones at once, the rest after a grace);
 * a wait in progress ends with `interaction_failed` (reason `closed`). Idempotent.
 */
export function closeReceiver(receiver: ReceiverState): Promise<void> {
  if (receiver.closing) return receiver.closing;
  const { server } = receiver;
  receiver.finished = true;
  receiver.closing = new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
  });
  const pending = receiver.waiting;
  receiver.waiting = undefined;
  pending?.abandon(
    new McpOAuthError(
      'interaction_failed',
      'The loopback receiver was closed before the browser came back.',
      {
        details: { reason: 'closed' },
      },
    ),
  );
  return receiver.closing;
}
