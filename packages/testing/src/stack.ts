import {
  type AuthServer,
  type AuthServerOptions,
  startAuthorizationServer,
} from './auth-server.ts';
import { type McpServerOptions, type McpTestServer, startMcpServer } from './mcp-server.ts';

/**
 * An authorization server and an MCP server protected by its tokens, as `startStack` returns
 * them.
 *
 * @example
 * ```ts
 * import { type Stack, startStack } from '@mcp-oauth/testing';
 *
 * const stack: Stack = await startStack();
 * console.log(stack.as.issuer, stack.mcp.url);
 * await stack.close();
 * ```
 */
export interface Stack extends AsyncDisposable {
  /** The authorization server. */
  as: AuthServer;
  /** The MCP server, accepting the authorization server's tokens. */
  mcp: McpTestServer;
  /** Stops the MCP server, then the authorization server. */
  close(): Promise<void>;
}

/**
 * A real oidc-provider and a real SDK MCP server protected by its tokens, on 127.0.0.1.
 * `startMcpOAuthServers` is the friendlier front of the same servers.
 *
 * @example
 * ```ts
 * import { startStack } from '@mcp-oauth/testing';
 *
 * await using stack = await startStack({
 *   as: { accessTokenTtlSeconds: 60 },
 *   mcp: { requiredScopes: ['mcp:read'] },
 * });
 * // point the client under test at stack.mcp.url
 * ```
 */
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
