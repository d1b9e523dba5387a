import type { AuthServer, McpServerOptions, McpTestServer } from '@mcp-oauth/testing';

/** Options of the MCP server (packages/testing' `startMcpServer`) that a cell varies. */
export type RsOptions = Omit<McpServerOptions, 'authServer'>;

/** A running authorization server (any implementation) and the MCP server in front of it. */
export interface MatrixStack {
  /** The authorization server's implementation, e.g. 'oidc-provider 9'. */
  implementation: string;
  issuer: string;
  mcp: McpTestServer;
  /** The oidc-provider fixture (counters, `forgetClients`), when that is the implementation. */
  oidc?: AuthServer | undefined;
  /** A client pre-registered at the authorization server (cells without DCR). */
  client?: { clientId: string; clientSecret: string } | undefined;
  close(): Promise<void>;
}
