import type { Bridge } from './create-bridge.ts';
import { BRIDGE_ERROR, errorResponse, type RequestId } from './messages.ts';
import { sendToHost } from './send-to-host.ts';

/** A response stream ended without the response, for good: the host gets an error instead. */
export function answerEndedStream(bridge: Bridge, id: RequestId): void {
  const { log } = bridge;
  // the SDK delivers what the stream carried before its end reaches here; a moment's grace
  setTimeout(() => {
    if (bridge.closed || !bridge.unanswered.delete(id)) return;
    log('warn', `the server closed the response stream of request #${String(id)} before answering`);
    sendToHost(
      bridge,
      errorResponse(
        id,
        BRIDGE_ERROR.remoteFailed,
        `${bridge.url.href} closed the response stream before answering (the server may have restarted); the request may or may not have been carried out.`,
      ),
    );
  }, 200).unref();
}
