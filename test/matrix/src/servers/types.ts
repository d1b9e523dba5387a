import type { AuthServer, McpServerOptions, McpTestServer } from '@mcp-oauth/testing';

/** Options of the MCP server (packages/testing' `startMcpServer`) that a cell varies. */
export type RsOptions = Omit<McpServerOptions, 'authServer'>;

/** MCP server implementations that are not ours (`src/servers/mcp-auth.ts`, `fastmcp.ts`). */
export type ForeignRsImplementation = 'mcp-auth' | 'fastmcp';

/** An MCP server that is not ours, in the shape the drivers read (counters kept from outside). */
export interface ForeignMcpServer extends McpTestServer {
  foreign: {
    /** The implementation, e.g. 'mcp-auth 0.2'. */
    name: string;
    /**
     * Evidence that the cell exercised it: its own resource metadata was fetched and its own
     * token verification accepted a token. Throws otherwise; returns what was seen.
     */
    used(): string;
  };
}

/** A running authorization server (any implementation) and the MCP server in front of it. */
export interface MatrixStack {
  /** The authorization server's implementation, e.g. 'oidc-provider 9'. */
  implementation: string;
  issuer: string;
  mcp: McpTestServer | ForeignMcpServer;
  /** The oidc-provider fixture (counters, `forgetClients`), when that is the implementation. */
  oidc?: AuthServer | undefined;
  /** A client pre-registered at the authorization server (cells without DCR). */
  client?: { clientId: string; clientSecret: string } | undefined;
  close(): Promise<void>;
}
