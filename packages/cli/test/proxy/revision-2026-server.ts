import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { type AuthServer, createJwtVerifier } from '@mcp-oauth/testing';
import { createMcpHandler, fromJsonSchema, McpServer } from '@modelcontextprotocol/server';

export interface Revision2026Server {
  /** The MCP endpoint, also the resource: `http://127.0.0.1:PORT/mcp`. */
  url: string;
  /** Per POST: the JSON-RPC method and the `MCP-Protocol-Version` header it came with. */
  stats: {
    posts: { method: string; protocolVersion: string | undefined }[];
    rejected: number;
    /** Calls of the `wait` tool begun, and those the client cancelled. */
    waits: number;
    cancelled: number;
  };
  close(): Promise<void>;
}

/**
 * An MCP server of protocol revision 2026-07-28 (stateless: `server/discover`, a per-request
 * `_meta` envelope), served by the SDK v2's `createMcpHandler`. `legacy: 'stateless'` (the
 * SDK's default) also answers 2025-era requests, each on its own; `'reject'` refuses them with
 * the unsupported-protocol-version error. Protected by the test authorization server's JWTs
 * (audience = /mcp), with RFC 9728 metadata.
 */
export async function startRevision2026Server(
  as: AuthServer,
  options: { legacy?: 'stateless' | 'reject' } = {},
): Promise<Revision2026Server> {
  const stats: Revision2026Server['stats'] = { posts: [], rejected: 0, waits: 0, cancelled: 0 };
  let url = '';
  let metadataUrl = '';
  const handler = createMcpHandler(() => toolServer(stats), {
    legacy: options.legacy ?? 'stateless',
  });

  const authorized = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    try {
      if (!token) throw new Error('no token');
      await createJwtVerifier(as, url).verifyAccessToken(token);
      return true;
    } catch {
      stats.rejected += 1;
      res
        .writeHead(401, {
          'www-authenticate': `Bearer error="invalid_token", resource_metadata="${metadataUrl}"`,
          'content-type': 'application/json',
        })
        .end('{"error":"invalid_token"}');
      return false;
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === '/.well-known/oauth-protected-resource/mcp') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            resource: url,
            authorization_servers: [as.issuer],
            scopes_supported: ['mcp:read', 'mcp:write'],
            bearer_methods_supported: ['header'],
          }),
        );
        return;
      }
      if (path !== '/mcp') {
        res.writeHead(404).end();
        return;
      }
      if (!(await authorized(req, res))) return;
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      if (body !== undefined) {
        const version = req.headers['mcp-protocol-version'];
        for (const message of [JSON.parse(body.toString() || 'null')].flat())
          if (message && typeof message.method === 'string')
            stats.posts.push({
              method: message.method,
              protocolVersion: typeof version === 'string' ? version : undefined,
            });
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string') headers.set(name, value);
      // the client closing the connection is the request's cancellation (2026-07-28)
      const disconnected = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) disconnected.abort();
      });
      const request = new Request(url, {
        method: req.method ?? 'GET',
        headers,
        signal: disconnected.signal,
        ...(body !== undefined ? { body } : {}),
      });
      const response = await handler.fetch(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) {
        res.end();
        return;
      }
      const stream = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
      res.on('close', () => stream.destroy());
      stream.pipe(res);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}/mcp`;
  metadataUrl = `http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`;
  return {
    url,
    stats,
    close: async () => {
      await handler.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The tools, for either era (plain JSON Schema through `fromJsonSchema`): `echo`, `add`, and
 * `forecast`, whose arguments `region` and `days` are declared `x-mcp-header`: a 2026-07-28
 * server refuses a call without the matching `Mcp-Param-Region` and `Mcp-Param-Days` headers;
 * `wait`, which answers only when cancelled (counted in `stats`) or after a minute.
 */
function toolServer(stats: Revision2026Server['stats']): McpServer {
  const server = new McpServer({ name: 'revision-2026-server', version: '0.0.0' });
  server.registerTool(
    'echo',
    {
      description: 'Returns its text argument.',
      inputSchema: fromJsonSchema<{ text: string }>({
        type: 'object',
        properties: { text: { type: 'string' } },
        required: ['text'],
      }),
    },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'add',
    {
      description: 'Adds two numbers.',
      inputSchema: fromJsonSchema<{ a: number; b: number }>({
        type: 'object',
        properties: { a: { type: 'number' }, b: { type: 'number' } },
        required: ['a', 'b'],
      }),
    },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  server.registerTool(
    'forecast',
    {
      description: 'Returns its region, which 2026-07-28 clients also send as a header.',
      inputSchema: fromJsonSchema<{ region: string; days: number }>({
        type: 'object',
        properties: {
          region: headerParam('string', 'Region'),
          days: headerParam('integer', 'Days'),
        },
        required: ['region', 'days'],
      }),
    },
    async ({ region, days }) => ({ content: [{ type: 'text', text: `${region} ${days}` }] }),
  );
  server.registerTool('wait', { description: 'Waits until cancelled.' }, async (ctx) => {
    stats.waits += 1;
    const signal = ctx.mcpReq.signal;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 60_000);
      signal.addEventListener('abort', () => {
        stats.cancelled += 1;
        clearTimeout(timer);
        resolve();
      });
    });
    return { content: [{ type: 'text', text: signal.aborted ? 'cancelled' : 'waited' }] };
  });
  return server;
}

/** A property that 2026-07-28 clients also send as the header `Mcp-Param-<header>`. */
function headerParam(type: 'string' | 'integer', header: string): { type: typeof type } {
  return { type, ...{ 'x-mcp-header': header } };
}
