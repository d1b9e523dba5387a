import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * Counters of the MCP server. Tokens are kept only as hashes.
 *
 * @example
 * ```ts
 * import { type McpServerStats, startStack } from '@mcp-oauth/testing';
 *
 * await using stack = await startStack();
 * // ... the client under test calls a tool ...
 * const stats: McpServerStats = stack.mcp.stats;
 * console.log(stats.mcpRequests, stats.unauthorized, stats.forbidden);
 * ```
 */
export interface McpServerStats {
  /** Every HTTP request (MCP endpoint, metadata, preflights). */
  requests: number;
  /** Requests to the MCP endpoint. */
  mcpRequests: number;
  /** Requests for protected resource metadata (any well-known location). */
  metadataRequests: number;
  /** Responses with status 401. */
  unauthorized: number;
  /** Responses with status 403 (e.g. insufficient scope). */
  forbidden: number;
  /** Requests carrying an Authorization header. */
  authorizationHeaders: number;
  /** Authorization headers seen, by `tokenHash(token)` (the bearer value, never the token). */
  tokens: Record<string, number>;
  /** Requests with a DPoP-bound token and a valid proof (RFC 9449). */
  dpopRequests: number;
  /** Requests refused for a missing or invalid DPoP proof. */
  dpopRejected: number;
}

/** A SHA-256 (hex, first 32 chars) of a bearer token, as stored in `stats.tokens`. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 32);
}

function zero(): McpServerStats {
  return {
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
}

export function createMcpStats(mcpPath: string) {
  const stats = zero();
  return {
    stats,
    reset(): void {
      Object.assign(stats, zero());
    },
    middleware(req: Request, res: Response, next: NextFunction): void {
      stats.requests += 1;
      if (req.path === mcpPath) stats.mcpRequests += 1;
      if (req.path.startsWith('/.well-known/oauth-protected-resource')) stats.metadataRequests += 1;
      const header = req.headers.authorization;
      if (header !== undefined) {
        stats.authorizationHeaders += 1;
        const key = tokenHash(header.replace(/^(bearer|dpop)\s+/i, ''));
        stats.tokens[key] = (stats.tokens[key] ?? 0) + 1;
      }
      res.once('finish', () => {
        if (res.statusCode === 401) stats.unauthorized += 1;
        if (res.statusCode === 403) stats.forbidden += 1;
      });
      next();
    },
  };
}
