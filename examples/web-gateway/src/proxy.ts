import { createServer, request, type Server } from 'node:http';

export interface RoundRobinProxy {
  readonly server: Server;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Sets the backends' ports (in the order requests go to them). */
  setBackends(ports: number[]): void;
  close(): Promise<void>;
}

/**
 * A load balancer in miniature: each request goes to the next backend in turn, with no
 * stickiness, so a flow begun on one gateway process is completed on another. The Host header
 * is passed unchanged.
 */
export async function startRoundRobinProxy(port: number): Promise<RoundRobinProxy> {
  let backends: number[] = [];
  let next = 0;
  const server = createServer((req, res) => {
    const backend = backends[next++ % Math.max(backends.length, 1)];
    if (backend === undefined) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('the gateway is starting');
      return;
    }
    const upstream = request(
      {
        host: '127.0.0.1',
        port: backend,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the proxy has no address');
  return {
    server,
    url: `http://127.0.0.1:${address.port}`,
    setBackends(ports) {
      backends = [...ports];
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
