import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Bridge } from './create-bridge.ts';
import { openRemote } from './open-remote.ts';

/** Sends through the open transport, opening one with this message if there is none. */
export async function sendToRemote(bridge: Bridge, message: JSONRPCMessage): Promise<void> {
  while (bridge.opening) await bridge.opening.catch(() => {});
  if (bridge.remote) return bridge.remote.send(message);
  bridge.opening = openRemote(bridge, message);
  try {
    await bridge.opening;
  } finally {
    bridge.opening = undefined;
  }
}
