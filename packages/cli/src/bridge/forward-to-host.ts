import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Bridge, RemoteTransport } from './create-bridge.ts';
import { describeMessage, isResponse } from './messages.ts';
import {
  explainRevisionRefusal,
  HEADER_MISMATCH,
  notStatelessServer,
  UNSUPPORTED_PROTOCOL_VERSION,
} from './revision-errors.ts';
import { sendToHost } from './send-to-host.ts';
import { withoutHiddenTools } from './tool-filter.ts';

/**
 * A message from the remote server, received on `transport`, to the host: a response to the
 * bridge's own request goes to its waiter; the results the bridge reads (initialize's
 * revision, tools/list's tools, server/discover's refusal) are read, and hidden tools left out.
 */
export function forwardToHost(
  bridge: Bridge,
  transport: RemoteTransport,
  message: JSONRPCMessage,
): void {
  const { url, log, paramHeaders, streamCancels, hidden } = bridge;
  if (isResponse(message)) {
    const own = bridge.ownRequests.get(message.id);
    if (own) {
      bridge.ownRequests.delete(message.id);
      own(message);
      return;
    }
    const { id } = message;
    streamCancels.settle(id);
    // the host cancelled it: it expects no answer
    if (bridge.cancelledByHost.delete(id)) return;
    bridge.unanswered.delete(id);
    if (bridge.initializes.delete(id)) {
      const version = (message.result as { protocolVersion?: unknown } | undefined)
        ?.protocolVersion;
      // as the SDK's Client does after initialize: later requests carry MCP-Protocol-Version
      if (typeof version === 'string') transport.setProtocolVersion?.(version);
    }
    if (bridge.toolLists.delete(id) && 'result' in message) {
      paramHeaders.learn(message.result);
      if (hidden)
        message = {
          ...message,
          result: withoutHiddenTools(message.result, hidden),
        } as JSONRPCMessage;
    }
    const discovered = bridge.discovers.get(id);
    bridge.discovers.delete(id);
    if ('error' in message && message.error) {
      const error = message.error as { code?: unknown };
      // anything but an answer or a revision refusal: the server knows no server/discover
      if (
        discovered !== undefined &&
        error.code !== UNSUPPORTED_PROTOCOL_VERSION &&
        error.code !== HEADER_MISMATCH
      )
        message = notStatelessServer(id, url, discovered);
      else message = { ...message, error: explainRevisionRefusal(url, error) } as JSONRPCMessage;
    }
  }
  if (bridge.traceMessages) log('debug', `← ${describeMessage(message)}`);
  sendToHost(bridge, message);
}
