import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express from 'express';
import { MCPAuth, MCPAuthBearerAuthError } from 'mcp-auth';
import { z } from 'zod';
import { listen } from './free-port.ts';
import { foreignEvidence, observeRequests } from './request-stats.ts';
import type { ForeignMcpServer } from './types.ts';

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

/** The matrix's tools (echo, add, admin_reset) on an official-SDK McpServer, as mcp-auth's samples do. */
function createServer(): McpServer {
  const server = new McpServer({ name: 'matrix-mcp-auth', version: '0.0.0' });
  server.registerTool(
    'echo',
    { description: 'Returns its text argument.', inputSchema: { text: z.string() } },
    async ({ text: value }) => text(value),
  );
  server.registerTool(
    'add',
    { description: 'Adds two numbers.', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => text(String(a + b)),
  );
  server.registerTool(
    'admin_reset',
    { description: 'Needs the mcp:admin scope.' },
    async ({ authInfo }) => {
      // mcp-auth's way for one tool's scope (its todo-manager sample): checked inside the tool,
      // which the SDK answers with a tool error, not with an HTTP 403 challenge
      if (!authInfo?.scopes.includes('mcp:admin')) {
        throw new MCPAuthBearerAuthError('missing_required_scopes');
      }
      return text('reset');
    },
  );
  return server;
}

/**
 * mcp-auth 0.2 (Logto's "MCP Auth", express), configured as its documentation recommends for
 * new applications, the resource server mode: `new MCPAuth({ protectedResources: [{ metadata:
 * { resource, authorizationServers: [{ issuer, type: 'oidc' }], scopesSupported } }] })` (the
 * AS metadata discovered on first use), `app.use(mcpAuth.protectedResourceMetadataRouter())`
 * (RFC 9728 metadata at the path-inserted URL), and `mcpAuth.bearerAuth('jwt', { resource,
 * audience, requiredScopes })` in front of the MCP endpoint: its own JWT verification (jose,
 * the AS's JWKS), issuer, audience and scopes, and its own 401/403 answers. The MCP endpoint is
 * the official SDK's stateless Streamable HTTP boilerplate.
 */
export async function startMcpAuthServer(issuer: string): Promise<ForeignMcpServer> {
  const listening = await listen();
  const url = `${listening.origin}/mcp`;
  const observed = observeRequests(listening.port, '/mcp');
  let verified = 0;

  const mcpAuth = new MCPAuth({
    protectedResources: [
      {
        metadata: {
          resource: url,
          authorizationServers: [{ issuer, type: 'oidc' }],
          scopesSupported: ['mcp:read', 'mcp:write'],
        },
      },
    ],
  });
  const app = express();
  app.use(mcpAuth.protectedResourceMetadataRouter());
  app.use(
    '/mcp',
    mcpAuth.bearerAuth('jwt', { resource: url, audience: url, requiredScopes: ['mcp:read'] }),
    (req, _res, next) => {
      // evidence for the cell: mcp-auth's own verifier accepted the token (its AuthInfo shape)
      if (req.auth?.issuer === issuer && req.auth.claims !== undefined) verified += 1;
      next();
    },
  );
  app.post('/mcp', express.json(), async (req, res) => {
    const server = createServer();
    const transport = new StreamableHTTPServerTransport({});
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  app.all('/mcp', (_req, res) => {
    res.status(405).set('Allow', 'POST').end();
  });
  listening.setHandler(app);

  const resourceMetadataUrl = `${listening.origin}/.well-known/oauth-protected-resource/mcp`;
  const close = async () => {
    observed.close();
    await listening.close();
  };
  return {
    url,
    resource: url,
    resourceMetadataUrl,
    port: listening.port,
    stats: observed.stats,
    resetStats: observed.reset,
    tokenSeen: observed.tokenSeen,
    close,
    [Symbol.asyncDispose]: close,
    foreign: foreignEvidence(
      'mcp-auth 0.2',
      observed.stats,
      () => verified,
      "its bearerAuth('jwt')",
    ),
  };
}
