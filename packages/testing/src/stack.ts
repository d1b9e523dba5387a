import {
  type AuthServer,
  type AuthServerOptions,
  startAuthorizationServer,
} from './auth-server.ts';
import { type McpServerOptions, type McpTestServer, startMcpServer } from './mcp-server.ts';

export interface Stack extends AsyncDisposable {
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
  const close = async () => {
    await mcp.close();
    await as.close();
  };
  return { as, mcp, close, [Symbol.asyncDispose]: close };
}
