import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Bridge } from './create-bridge.ts';

/** Writes a message to the host (counted); nothing once the bridge is closed. */
export function sendToHost(bridge: Bridge, message: JSONRPCMessage): void {
  const { log } = bridge;
  if (bridge.closed) return;
  bridge.counts.toHost += 1;
  bridge.host
    .send(message)
    .catch((error: unknown) => log('warn', `could not write to the host: ${String(error)}`));
}
