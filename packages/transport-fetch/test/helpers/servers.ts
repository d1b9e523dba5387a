import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import net from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  /** TCP connections accepted so far. */
  connections: () => number;
  /** Requests received so far. */
  requests: () => number;
  close: () => Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, attempt: number) => void;

function track(server: http.Server | https.Server | net.Server, handler?: Handler) {
  let connections = 0;
  let requests = 0;
  const sockets = new Set<net.Socket>();
  server.on(
    server instanceof https.Server ? 'secureConnection' : 'connection',
    (socket: net.Socket) => {
      connections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    },
  );
  if (handler) {
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      requests++;
      handler(req, res, requests);
    });
  }
  return {
    connections: () => connections,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** A plain HTTP server on 127.0.0.1; `attempt` counts requests from 1. */
export async function startHttpServer(handler: Handler): Promise<TestServer> {
  const server = http.createServer();
  const tracked = track(server, handler);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, ...tracked };
}

/** An HTTPS server on 127.0.0.1 with the given certificate. */
export async function startHttpsServer(
  tls: { key: string; cert: string },
  handler: Handler,
): Promise<TestServer> {
  const server = https.createServer({ key: tls.key, cert: tls.cert });
  const tracked = track(server, handler);
  const port = await listen(server);
  return { url: `https://127.0.0.1:${port}`, port, ...tracked };
}

/** A TCP server that accepts connections and never says a word. */
export async function startSilentTcpServer(): Promise<TestServer> {
  const server = net.createServer(() => {});
  const tracked = track(server);
  const port = await listen(server);
  return { url: `https://127.0.0.1:${port}`, port, ...tracked };
}

export interface ConnectProxy extends TestServer {
  /** CONNECT tunnels opened, with their targets. */
  tunnels: string[];
  /** Requests the proxy forwarded in absolute form (plain HTTP proxying). */
  forwarded: string[];
}

/**
 * A forward proxy that only tunnels: it answers CONNECT by piping to the target (127.0.0.1
 * only) and refuses anything else with 405, so a request that reaches it any other way fails.
 */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  const server = http.createServer((req, res) => {
    forwarded.push(req.url ?? '');
    res.writeHead(405).end('CONNECT only');
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? '';
    tunnels.push(target);
    const [host, port] = target.split(':');
    if (host !== '127.0.0.1') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const tracked = track(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, tunnels, forwarded, ...tracked };
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
