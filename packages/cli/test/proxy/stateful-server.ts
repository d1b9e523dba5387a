import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuthServer, createJwtVerifier } from '@mcp-oauth/testing';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  ListRootsResultSchema,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';

export interface StatefulMcpServer {
  url: string;
  port: number;
  /** Sessions created (initialize requests answered) and requests refused for an unknown session. */
  stats: { sessions: number; unknownSession: number; hanging: number };
  close(): Promise<void>;
}

/**
 * A Streamable HTTP server with sessions (the SDK's transport with a session id generator),
 * protected by the test authorization server's JWTs: what a restart does to such a server's
 * clients (every session forgotten, 404 for their ids) is what the bridge must survive.
 */
export async function startStatefulMcpServer(
  as: AuthServer,
  options: { port?: number } = {},
): Promise<StatefulMcpServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const stats = { sessions: 0, unknownSession: 0, hanging: 0 };
  let url = '';
  let metadataUrl = '';

  const authorized = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const header = req.headers.authorization ?? '';
    try {
      if (!header.startsWith('Bearer ')) throw new Error('no token');
      await createJwtVerifier(as, url).verifyAccessToken(header.slice(7));
      return true;
    } catch {
      res
        .writeHead(401, {
          'www-authenticate': `Bearer error="invalid_token", resource_metadata="${metadataUrl}"`,
        })
        .end();
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
          }),
        );
        return;
      }
      if (path !== '/mcp') {
        res.writeHead(404).end();
        return;
      }
      if (!(await authorized(req, res))) return;
      const id = req.headers['mcp-session-id'];
      if (typeof id === 'string') {
        const transport = sessions.get(id);
        if (!transport) {
          stats.unknownSession += 1;
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end(
              '{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}',
            );
          return;
        }
        await transport.handleRequest(req, res);
        return;
      }
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sessionId) => {
          stats.sessions += 1;
          sessions.set(sessionId, transport);
        },
      });
      await toolServer(stats).connect(transport);
      await transport.handleRequest(req, res);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}/mcp`;
  metadataUrl = `http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`;
  return {
    url,
    port,
    stats,
    close: () =>
      new Promise((resolve) => {
        for (const transport of sessions.values()) void transport.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * `echo`; `hang`, which never answers; `roots`, which asks the host for its roots (a request from the server, answered by
 * the host) and returns their names; `notify`, which sends a log message notification first.
 */
function toolServer(stats: StatefulMcpServer['stats']): Server {
  const server = new Server(
    { name: 'stateful-server', version: '0.0.0' },
    { capabilities: { tools: {}, logging: {} } },
  );
  const tool = (name: string) => ({
    name,
    inputSchema: { type: 'object' as const, properties: { text: { type: 'string' } } },
  });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [tool('echo'), tool('roots'), tool('notify'), tool('hang')],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const text = String(request.params.arguments?.text ?? '');
    if (request.params.name === 'roots') {
      const { roots } = await extra.sendRequest({ method: 'roots/list' }, ListRootsResultSchema);
      return { content: [{ type: 'text', text: roots.map((r) => r.name ?? r.uri).join(',') }] };
    }
    if (request.params.name === 'hang') {
      stats.hanging += 1;
      await new Promise(() => {}); // answered never: the server goes away first
    }
    if (request.params.name === 'notify') {
      await extra.sendNotification({
        method: 'notifications/message',
        params: { level: 'info', data: `note: ${text}` },
      });
    }
    return { content: [{ type: 'text', text }] };
  });
  return server;
}
