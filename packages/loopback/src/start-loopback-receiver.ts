import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeReceiver } from './close-receiver.ts';
import { handleCallback } from './handle-callback.ts';
import { listenOnLoopback, loopbackHosts, urlHost } from './loopback-bind.ts';
import {
  DEFAULT_CALLBACK_PATH,
  type LoopbackReceiver,
  type LoopbackReceiverOptions,
  type ReceiverState,
} from './receiver.ts';
import { validateFallback, validatePath, validatePort } from './validate-receiver-options.ts';
import { waitForCallback } from './wait-for-callback.ts';

/**
 * Starts an HTTP listener on 127.0.0.1 (or, without IPv4 loopback, on ::1) that waits for one
 * authorization redirect (RFC 8252). The listener does not keep the process alive until
 * `waitForCallback` is called.
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
  return listenOn(loopbackHosts(options.hosts), options);
}

/**
 * Internal, not exported from the package: `startLoopbackReceiver` with `hosts` taken as
 * given, not checked to be loopback literals. Tests use it to make the first bind really fail
 * with an address that is not on this machine (EADDRNOTAVAIL) and watch the fallback.
 */
export async function listenOn(
  hosts: readonly string[],
  options: Omit<LoopbackReceiverOptions, 'hosts'> = {},
): Promise<LoopbackReceiver> {
  const path = options.path ?? DEFAULT_CALLBACK_PATH;
  const requestedPort = options.port ?? 0;
  const fallback = options.fallback ?? 'error';
  validatePath(path);
  validatePort(requestedPort);
  validateFallback(fallback);

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
    options,
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
