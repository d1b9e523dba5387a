import {
  type AuthServer,
  type AuthServerOptions,
  startAuthorizationServer,
} from './auth-server.ts';
import { type McpServerOptions, type McpTestServer, startMcpServer } from './mcp-server.ts';

export interface Stack {
  as: AuthServer;
  mcp: McpTestServer;
  close(): Promise<void>;
}

/** A real oidc-provider and a real SDK MCP server protected by its tokens, on 127.0.0.1. */
export async function startStack(
  options: { as?: AuthServerOptions; mcp?: Omit<McpServerOptions, 'authServer'> } = {},
): Promise<Stack> {
  const as = await startAuthorizationServer(options.as ?? {});
  const mcp = await startMcpServer({ authServer: as, ...options.mcp });
  return {
    as,
    mcp,
    async close() {
      await mcp.close();
      await as.close();
    },
  };
}
