import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A node:http server listening on 127.0.0.1, with a `close()` that also ends keep-alive sockets. */
export interface Listening {
  server: Server;
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (port 0 = ephemeral). The handler may be attached later with
 * `setHandler`, which lets callers learn the port before building what depends on it
 * (oidc-provider needs its issuer URL, which contains the port, at construction).
 */
export async function listenLoopback(
  port = 0,
): Promise<Listening & { setHandler(handler: RequestListener): void }> {
  let handler: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end('starting');
  };
  const server = createServer((req, res) => handler(req, res));
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    server,
    port: actualPort,
    origin: `http://127.0.0.1:${actualPort}`,
    setHandler(next) {
      handler = next;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
