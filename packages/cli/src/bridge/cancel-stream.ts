import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Bridge } from './create-bridge.ts';

/**
 * The host cancels a 2026-07-28 request: over HTTP that revision cancels by closing the
 * request's response stream, and no notification is sent. Any other cancellation is forwarded.
 */
export function cancelStream(bridge: Bridge, message: JSONRPCMessage): boolean {
  if (!('method' in message) || message.method !== 'notifications/cancelled') return false;
  const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
  if ((typeof id !== 'string' && typeof id !== 'number') || !bridge.streamCancels.cancel(id))
    return false;
  bridge.cancelledByHost.add(id);
  bridge.unanswered.delete(id);
  bridge.toolLists.delete(id);
  bridge.discovers.delete(id);
  return true;
}
