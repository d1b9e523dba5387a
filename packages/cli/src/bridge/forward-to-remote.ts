import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { cancelStream } from './cancel-stream.ts';
import type { Bridge, RemoteTransport } from './create-bridge.ts';
import { errorText } from './describe-error.ts';
import { BRIDGE_ERROR, describeMessage, errorResponse, isRequest } from './messages.ts';
import { reinitializeSession, sessionGone } from './reinitialize-session.ts';
import { suggestsOtherTransport } from './remote-transport.ts';
import { notStatelessServer } from './revision-errors.ts';
import { envelopeRevision } from './revision-headers.ts';
import { sendToHost } from './send-to-host.ts';
import { sendToRemote } from './send-to-remote.ts';

/**
 * A message from the host to the remote server. A call of a hidden tool is refused; a failure
 * is sent once more after a new session (the server forgot it) or `recover` (a new login,
 * say), else answered with a JSON-RPC error, so that no request is left hanging.
 */
export async function forwardToRemote(bridge: Bridge, message: JSONRPCMessage): Promise<void> {
  const { options, url, log, hidden, describeError, streamCancels } = bridge;
  if (bridge.traceMessages) log('debug', `→ ${describeMessage(message)}`);
  if (cancelStream(bridge, message)) return;
  if (isRequest(message)) {
    if (message.method === 'tools/call' && hidden?.(String(message.params?.name))) {
      sendToHost(
        bridge,
        errorResponse(
          message.id,
          BRIDGE_ERROR.toolHidden,
          `The tool "${String(message.params?.name)}" is not available (hidden by the bridge's configuration).`,
        ),
      );
      return;
    }
    if (message.method === 'tools/list') bridge.toolLists.add(message.id);
    if (message.method === 'server/discover')
      bridge.discovers.set(message.id, envelopeRevision(message) ?? 'unknown');
    if (message.method === 'initialize') {
      bridge.initializes.add(message.id);
      bridge.hostInitialize = message;
    }
    bridge.unanswered.add(message.id);
  }
  bridge.counts.toRemote += 1;
  try {
    let via: RemoteTransport | undefined;
    try {
      while (bridge.reinitializing) await bridge.reinitializing.catch(() => {});
      via = bridge.remote;
      await sendToRemote(bridge, message);
    } catch (error) {
      if (bridge.closed) throw error;
      if (sessionGone(bridge, error, via)) {
        // once per session: requests that failed together share the new one
        if (bridge.remote === via || bridge.remote === undefined) await reinitializeSession(bridge);
      } else if (!(await options.recover?.(error, message))) throw error;
      log('info', `sending ${describeMessage(message)} again`);
      await sendToRemote(bridge, message);
    }
  } catch (error) {
    if (bridge.closed) return;
    if (isRequest(message)) streamCancels.settle(message.id);
    // the host cancelled it (its stream was closed for that): it expects no answer
    if (isRequest(message) && bridge.cancelledByHost.delete(message.id)) return;
    const discovered = isRequest(message) ? bridge.discovers.get(message.id) : undefined;
    if (isRequest(message) && discovered !== undefined && suggestsOtherTransport(error)) {
      // refused over HTTP without a JSON-RPC answer (a 2025-era server with sessions, say)
      bridge.discovers.delete(message.id);
      bridge.unanswered.delete(message.id);
      log('info', `the server does not speak MCP ${discovered}: ${errorText(error)}`);
      sendToHost(bridge, notStatelessServer(message.id, url, discovered));
      return;
    }
    const described = describeError(error);
    log('warn', `${describeMessage(message)} failed: ${described.message}`);
    if (isRequest(message)) {
      bridge.discovers.delete(message.id);
      bridge.unanswered.delete(message.id);
      bridge.toolLists.delete(message.id);
      bridge.initializes.delete(message.id);
      sendToHost(
        bridge,
        errorResponse(message.id, described.code, described.message, described.data),
      );
    }
  }
}
