import type { NextFunction, Request, Response } from 'express';

/**
 * Scopes each tool requires, by tool name: one scope, space-separated scopes, or a list.
 *
 * @example
 * ```ts
 * import { startMcpOAuthServers, type ToolScopes } from '@mcp-oauth/testing';
 *
 * const toolScopes: ToolScopes = { echo: 'mcp:read', admin_reset: ['mcp:admin', 'mcp:write'] };
 * await using servers = await startMcpOAuthServers({ toolScopes });
 * ```
 */
export type ToolScopes = Record<string, string | string[]>;

interface JsonRpcMessage {
  method?: unknown;
  params?: { name?: unknown };
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(' ').filter(Boolean);
}

/**
 * Step-up at the HTTP level: reads the parsed JSON-RPC body (one message or a batch); when a
 * `tools/call` names a tool whose scopes the token lacks, answers 403 with
 * `WWW-Authenticate: Bearer error="insufficient_scope", scope="<token's scopes + missing>"`
 * (plus `resource_metadata` unless omitted) before the MCP server sees the request.
 */
export function requireToolScopes(toolScopes: ToolScopes, resourceMetadataUrl?: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body: unknown = req.body;
    const messages = (Array.isArray(body) ? body : [body]) as (JsonRpcMessage | null)[];
    const granted = req.auth?.scopes ?? [];
    for (const message of messages) {
      if (message?.method !== 'tools/call') continue;
      const tool = String(message.params?.name ?? '');
      const missing = asList(toolScopes[tool]).filter((scope) => !granted.includes(scope));
      if (missing.length === 0) continue;
      const scope = [...new Set([...granted, ...missing])].join(' ');
      const description = `tool ${tool} requires scope ${missing.join(' ')}`;
      const metadata = resourceMetadataUrl ? `, resource_metadata="${resourceMetadataUrl}"` : '';
      res.set(
        'WWW-Authenticate',
        `Bearer error="insufficient_scope", scope="${scope}"${metadata}, error_description="${description}"`,
      );
      res.status(403).json({ error: 'insufficient_scope', error_description: description });
      return;
    }
    next();
  };
}
