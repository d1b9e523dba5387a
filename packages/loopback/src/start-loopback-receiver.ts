import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeReceiver } from './close-receiver.ts';
import { handleCallback } from './handle-callback.ts';
import { listenOnLoopback, urlHost } from './loopback-bind.ts';
import type { LoopbackReceiver, LoopbackReceiverOptions, ReceiverState } from './receiver.ts';
import { type ReceiverSettings, validateReceiverOptions } from './validate-options.ts';
import { waitForCallback } from './wait-for-callback.ts';

/**
 * Starts an HTTP listener on 127.0.0.1 (or, without IPv4 loopback, on ::1) that waits for one
 * authorization redirect (RFC 8252). The listener does not keep the process alive until
 * `waitForCallback` is called. Its options are checked first: a bad one rejects with
 * `invalid_configuration` naming it (`details.option`) before anything listens.
 *
 * @example
 * ```ts
 * import { startLoopbackReceiver } from '@mcp-oauth/loopback';
 *
 * const receiver = await startLoopbackReceiver({ path: '/oauth/callback' });
 * console.log(receiver.redirectUri); // e.g. http://127.0.0.1:53682/oauth/callback
 * await receiver.close();
 * ```
 */
export async function startLoopbackReceiver(
  options: LoopbackReceiverOptions = {},
): Promise<LoopbackReceiver> {
  return listenOn(validateReceiverOptions(options));
}

/**
 * Internal, not exported from the package: `startLoopbackReceiver` with options already
 * checked (`validateReceiverOptions`; `loopbackInteraction` checks them when it is made).
 * Tests also use it to pass `hosts` that are not loopback literals, to make the first bind
 * really fail with an address that is not on this machine (EADDRNOTAVAIL) and watch the fallback.
 */
export async function listenOn(settings: ReceiverSettings): Promise<LoopbackReceiver> {
  const { hosts, path, port: requestedPort, fallback } = settings;

  const server = createServer({ requestTimeout: 30_000, headersTimeout: 15_000 }, (req, res) => {
    void handleCallback(receiver, req, res);
  });
  server.on('clientError', (_error, socket) => {
    socket.destroy();
  });

  const host = urlHost(await listenOnLoopback(server, hosts, requestedPort, fallback));
  server.unref();

  const port = (server.address() as AddressInfo).port;
  const expectedHost = `${host}:${port}`;
  const origin = `http://${expectedHost}`;
  const redirectUri = `${origin}${path}`;

  const receiver: ReceiverState = {
    server,
    settings,
    path,
    expectedHost,
    origin,
    redirectUri,
    waiting: undefined,
    finished: false,
    closing: undefined,
    waited: false,
  };
  const close = (): Promise<void> => closeReceiver(receiver);
  return {
    redirectUri,
    port,
    waitForCallback: (args) => waitForCallback(receiver, args),
    close,
    [Symbol.asyncDispose]: close,
  };
}
