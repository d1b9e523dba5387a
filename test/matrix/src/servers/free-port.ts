import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A node:http server on 127.0.0.1 (port 0: ephemeral) whose handler is attached later. */
export async function listen(port = 0): Promise<{
  origin: string;
  port: number;
  setHandler(handler: RequestListener): void;
  close(): Promise<void>;
}> {
  let handler: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end('starting');
  };
  const server: Server = createServer((req, res) => handler(req, res));
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${actual}`,
    port: actual,
    setHandler(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port that was free a moment ago, for a server whose URL another must know first. */
export async function freePort(): Promise<number> {
  const probe = await listen(0);
  await probe.close();
  return probe.port;
}
