import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { answerEndedStream } from './answer-ended-stream.ts';
import type { Bridge } from './create-bridge.ts';
import { errorText } from './describe-error.ts';
import { withErrorAnswers } from './error-answers.ts';
import { forwardToHost } from './forward-to-host.ts';
import { createRemoteTransport, type FetchFn, suggestsOtherTransport } from './remote-transport.ts';
import { watchResponseStreams } from './response-streams.ts';
import { withRevisionHeaders } from './revision-headers.ts';

/**
 * Opens a transport to the remote server with the host's `first` message, trying the
 * transports of `transport` (the option) in order: the next one only when the server's answer
 * suggests it speaks another transport.
 */
export async function openRemote(bridge: Bridge, first: JSONRPCMessage): Promise<void> {
  const { url, log, fetch, order, headers, paramHeaders, streamCancels } = bridge;
  let lastError: unknown;
  for (const [index, kind] of order.entries()) {
    // the SSE transport reports a failed fetch by its message only: keep the error itself
    let fetchFailure: unknown;
    const transportFetch: FetchFn =
      kind === 'sse'
        ? (input, init) =>
            fetch(input, init).catch((error: unknown) => {
              fetchFailure = error;
              throw error;
            })
        : watchResponseStreams(
            withErrorAnswers(withRevisionHeaders(fetch, paramHeaders, streamCancels)),
            (id) => answerEndedStream(bridge, id),
          );
    const transport = createRemoteTransport(kind, url, transportFetch, headers);
    transport.onmessage = (message) => forwardToHost(bridge, transport, message);
    transport.onerror = (error) => log('debug', `remote transport: ${error.message}`);
    transport.onclose = () => {
      if (bridge.remote === transport) bridge.remote = undefined;
    };
    try {
      await transport.start();
      await transport.send(first);
      bridge.remote = transport;
      bridge.remoteKind = kind;
      log('info', `connected to ${url.href} (${kind === 'sse' ? 'HTTP+SSE' : 'Streamable HTTP'})`);
      return;
    } catch (failure) {
      const error = fetchFailure ?? failure;
      lastError = error;
      await transport.close().catch(() => {});
      const next = order[index + 1];
      if (!next || !suggestsOtherTransport(error)) throw error;
      log('info', `${kind} refused (${errorText(error)}); trying ${next}`);
    }
  }
  throw lastError;
}
