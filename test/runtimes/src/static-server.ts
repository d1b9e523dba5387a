import { readFile, realpath } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { clientDir, root } from './runtimes.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the browser page on 127.0.0.1: `/` (page.html, with an import map), `/callback`,
 * `/flow.mjs`, core's built `dist/` at `/core/`, and the ESM builds of the dependencies that
 * core's dist imports by bare name (`oauth4webapi`, `jose`) from core's own node_modules.
 */
export async function startPageServer(): Promise<PageServer> {
  const coreDir = join(root, 'packages', 'core');
  const mounts: Record<string, string> = {
    '/core/': join(coreDir, 'dist'),
    '/oauth4webapi/': join(await realpath(join(coreDir, 'node_modules', 'oauth4webapi')), 'build'),
    '/jose/': join(await realpath(join(coreDir, 'node_modules', 'jose')), 'dist', 'webapi'),
  };
  const files: Record<string, string> = {
    '/': join(clientDir, 'page.html'),
    '/callback': join(clientDir, 'callback.html'),
    '/flow.mjs': join(clientDir, 'flow.mjs'),
  };
  const resolvePath = (pathname: string): string | undefined => {
    if (files[pathname]) return files[pathname];
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!pathname.startsWith(prefix)) continue;
      const path = normalize(join(dir, decodeURIComponent(pathname.slice(prefix.length))));
      return path.startsWith(dir + sep) ? path : undefined;
    }
    return undefined;
  };
  const server: Server = createServer(async (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const path = resolvePath(pathname);
    try {
      if (!path || req.method !== 'GET') throw new Error('not found');
      const body = await readFile(path);
      res.writeHead(200, {
        'content-type': types[extname(path)] ?? 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
