import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { AuthServer } from './auth-server.ts';
import { createJwtVerifier } from './jwt-verifier.ts';

/**
 * A running legacy HTTP+SSE MCP server; see {@link startLegacySseServer}.
 *
 * @example
 * ```ts
 * import { type LegacySseServer, startAuthorizationServer, startLegacySseServer } from '@mcp-oauth/testing';
 *
 * const as = await startAuthorizationServer();
 * const sse: LegacySseServer = await startLegacySseServer(as);
 * // ... connect a client, then:
 * console.log(sse.stats.streams, sse.stats.posts, sse.stats.rejected);
 * await sse.close();
 * await as.close();
 * ```
 */
export interface LegacySseServer {
  /** The SSE endpoint (GET), also the resource: `http://127.0.0.1:PORT/mcp` (or `path`). */
  url: string;
  /** Streams opened (GET), messages posted, requests rejected; `X-Tenant` header values seen. */
  stats: {
    /** SSE streams opened (GET requests that carried a valid token). */
    streams: number;
    /** Messages posted to the message endpoint. */
    posts: number;
    /** Requests refused with 401 (no token, or an invalid one). */
    rejected: number;
    /** The `X-Tenant` header values seen, in order (for tests of custom headers). */
    tenants: string[];
  };
  /** Stops the server and drops its connections. */
  close(): Promise<void>;
}

/**
 * Options of {@link startLegacySseServer}.
 *
 * @example
 * ```ts
 * import { type LegacySseServerOptions, startAuthorizationServer, startLegacySseServer } from '@mcp-oauth/testing';
 *
 * const options: LegacySseServerOptions = { path: '/sse', messagesPath: '/messages' };
 * const as = await startAuthorizationServer();
 * const sse = await startLegacySseServer(as, options);
 * await sse.close();
 * await as.close();
 * ```
 */
export interface LegacySseServerOptions {
  /** Another name for 127.0.0.1 in its URLs (and so in the resource and the tokens' audience). */
  host?: string;
  /** The SSE endpoint's path, also the resource's. Default `/mcp`. */
  path?: string;
  /**
   * Where the `endpoint` event sends messages. Default `<path>/messages`; the SDK's own examples
   * serve `/sse` and `/messages`, outside the resource's path.
   */
  messagesPath?: string;
}

/**
 * A server that speaks only the legacy HTTP+SSE transport (MCP 2024-11-05), with the SDK's
 * `SSEServerTransport`: GET /mcp opens the stream and announces /mcp/messages (both paths are
 * options); a POST to /mcp is answered 405, as such servers do. Protected by the test
 * authorization server's JWTs (audience = the SSE endpoint's URL), with RFC 9728 metadata.
 *
 * @example
 * ```ts
 * import { startAuthorizationServer, startLegacySseServer } from '@mcp-oauth/testing';
 *
 * const as = await startAuthorizationServer();
 * // laid out as the SDK's examples are: GET /sse, POST /messages
 * const sse = await startLegacySseServer(as, { path: '/sse', messagesPath: '/messages' });
 * console.log(sse.url); // connect the SDK's SSEClientTransport here, with oauth.fetch
 * await sse.close();
 * await as.close();
 * ```
 */
export async function startLegacySseServer(
  as: AuthServer,
  options: LegacySseServerOptions = {},
): Promise<LegacySseServer> {
  const ssePath = options.path ?? '/mcp';
  const messagesPath = options.messagesPath ?? `${ssePath}/messages`;
  const sessions = new Map<string, SSEServerTransport>();
  const stats = { streams: 0, posts: 0, rejected: 0, tenants: [] as string[] };
  let url = '';
  let metadataUrl = '';
  const verifier = () => createJwtVerifier(as, url);

  const authorized = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    try {
      if (!token) throw new Error('no token');
      await verifier().verifyAccessToken(token);
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
      const tenant = req.headers['x-tenant'];
      if (typeof tenant === 'string') stats.tenants.push(tenant);
      if (req.method === 'GET' && path === `/.well-known/oauth-protected-resource${ssePath}`) {
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
      if (path === ssePath && req.method === 'POST') {
        res.writeHead(405, { allow: 'GET' }).end();
        return;
      }
      if (!(await authorized(req, res))) return;
      if (path === ssePath && req.method === 'GET') {
        stats.streams += 1;
        const transport = new SSEServerTransport(messagesPath, res);
        sessions.set(transport.sessionId, transport);
        res.on('close', () => sessions.delete(transport.sessionId));
        await toolServer().connect(transport);
        return;
      }
      if (path === messagesPath && req.method === 'POST') {
        stats.posts += 1;
        const id = new URL(req.url ?? '/', 'http://x').searchParams.get('sessionId') ?? '';
        const transport = sessions.get(id);
        if (!transport) {
          res.writeHead(404).end('unknown session');
          return;
        }
        await transport.handlePostMessage(req, res);
        return;
      }
      res.writeHead(404).end();
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // `host`: another name for 127.0.0.1 in URLs (and so in the resource and tokens' audience)
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  url = `${origin}${ssePath}`;
  metadataUrl = `${origin}/.well-known/oauth-protected-resource${ssePath}`;
  return {
    url,
    stats,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The tools of a legacy server: `echo` only (plain JSON Schema, no zod). */
function toolServer(): Server {
  const server = new Server(
    { name: 'legacy-sse-server', version: '0.0.0' },
    { capabilities: { tools: {} } },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [
      {
        name: 'echo',
        description: 'Returns its text argument.',
        inputSchema: { type: 'object', properties: { text: { type: 'string' } } },
      },
    ],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => ({
    content: [{ type: 'text', text: String(request.params.arguments?.text ?? '') }],
  }));
  return server;
}
