import { createHash } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServerStats } from '@mcp-oauth/testing';
import type { ForeignMcpServer } from './types.ts';

/**
 * The counters the drivers read (`McpServerStats`), kept from outside an MCP server that is not
 * ours and that owns its HTTP server: Node's `http.server.request.start` diagnostics channel
 * reports every request any server of this process receives; those on `port` are counted.
 * What reached the server, never what it decided. Tokens are kept as hashes only. `close()`
 * stops observing.
 */
export function observeRequests(port: number, mcpPath: string) {
  const stats: McpServerStats = {
    requests: 0,
    mcpRequests: 0,
    metadataRequests: 0,
    unauthorized: 0,
    forbidden: 0,
    authorizationHeaders: 0,
    tokens: {},
    dpopRequests: 0,
    dpopRejected: 0,
  };
  const initial = structuredClone(stats);
  const hash = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 32);
  const onRequest = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (request.socket.localPort === port) count(request, response);
  };
  subscribe('http.server.request.start', onRequest);
  return {
    stats,
    reset(): void {
      Object.assign(stats, structuredClone(initial));
    },
    tokenSeen: (token: string) => stats.tokens[hash(token)] ?? 0,
    close(): void {
      unsubscribe('http.server.request.start', onRequest);
    },
  };

  /** Counts one request (its token, a DPoP proof or scheme) and its status. */
  function count(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    stats.requests += 1;
    if (path === mcpPath) stats.mcpRequests += 1;
    if (path.startsWith('/.well-known/oauth-protected-resource')) stats.metadataRequests += 1;
    const header = req.headers.authorization;
    if (header !== undefined) {
      stats.authorizationHeaders += 1;
      const key = hash(header.replace(/^(bearer|dpop)\s+/i, ''));
      stats.tokens[key] = (stats.tokens[key] ?? 0) + 1;
    }
    // a Bearer-only server takes no DPoP: any proof or DPoP scheme that reaches it is counted
    if (req.headers.dpop !== undefined || /^dpop\s/i.test(header ?? '')) stats.dpopRequests += 1;
    res.once('finish', () => {
      if (res.statusCode === 401) stats.unauthorized += 1;
      if (res.statusCode === 403) stats.forbidden += 1;
    });
  }
}

/**
 * The evidence a cell on a foreign server ends with (`ForeignMcpServer.foreign`): its own
 * resource metadata was fetched (`stats`) and its own verification (`verifier`, e.g. "its
 * bearerAuth") accepted tokens (`verified()` counts them).
 */
export function foreignEvidence(
  name: string,
  stats: McpServerStats,
  verified: () => number,
  verifier: string,
): ForeignMcpServer['foreign'] {
  const short = name.split(' ')[0];
  return {
    name,
    used() {
      if (stats.metadataRequests === 0)
        throw new Error(`${short}'s resource metadata was never fetched`);
      if (verified() === 0) throw new Error(`no token passed ${short}'s ${verifier}`);
      return `${short}: metadata fetched ${stats.metadataRequests}x, ${verified()} tokens verified by ${verifier}`;
    },
  };
}
