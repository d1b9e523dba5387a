import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { httpStatusOf } from '../http-status-of.ts';
import type { Bridge, RemoteTransport } from './create-bridge.ts';
import { sendToRemote } from './send-to-remote.ts';

/**
 * The server answered 404 to a request in a session (it restarted, or expired the session):
 * a new session, initialized with the host's own initialize request, so the host, which
 * knows nothing of sessions, carries on (MCP: the client starts a new session).
 */
export function reinitializeSession(bridge: Bridge): Promise<void> {
  const { log } = bridge;
  bridge.reinitializing ??= (async () => {
    const stale = bridge.remote;
    bridge.remote = undefined;
    // not closed at once: that would abort requests still in flight through it (they get
    // their own 404 and are sent again in the new session)
    if (stale) setTimeout(() => void stale.close().catch(() => {}), 5000).unref();
    const { hostInitialize } = bridge;
    if (!hostInitialize) return;
    const id = `mcp-oauth-proxy-session-${++bridge.sessions}`;
    const answered = new Promise<JSONRPCMessage>((resolve, reject) => {
      bridge.ownRequests.set(id, resolve);
      setTimeout(() => {
        bridge.ownRequests.delete(id);
        reject(new Error('The server did not answer initialize for a new session.'));
      }, 60_000).unref();
    });
    bridge.initializes.add(id);
    await sendToRemote(bridge, { ...hostInitialize, id });
    const response = await answered;
    if ('error' in response)
      throw new Error(
        `The server refused a new session: ${String((response.error as { message?: unknown }).message)}`,
      );
    await sendToRemote(bridge, {
      jsonrpc: '2.0',
      method: 'notifications/initialized',
    } as JSONRPCMessage);
    log('info', 'the server had forgotten the session: started a new one');
  })().finally(() => {
    bridge.reinitializing = undefined;
  });
  return bridge.reinitializing;
}

/** A 404 in a session: the session is gone (not the endpoint). */
export function sessionGone(
  bridge: Bridge,
  error: unknown,
  transport: RemoteTransport | undefined,
): boolean {
  return (
    httpStatusOf(error) === 404 &&
    transport?.sessionId !== undefined &&
    bridge.hostInitialize !== undefined
  );
}
