import { createHash } from 'node:crypto';
import {
  createOAuthClient,
  type McpOAuthClient,
  type McpOAuthEvent,
  type TokenInfo,
} from '@mcp-oauth/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { GatewayStores } from './stores.ts';

export interface McpAccess {
  stores: GatewayStores;
  /** The process name, for logs. */
  instance: string;
  log(line: string): void;
}

/** core's client for one user and one MCP server: their tokens, the app's registration. */
export function oauthFor(access: McpAccess, user: string, serverUrl: string): McpOAuthClient {
  return createOAuthClient({
    serverUrl,
    store: access.stores.forUser(user),
    client: { clientName: 'MCP web gateway (example)' },
    // events never carry a secret; the user is logged by a hash of their name
    onEvent: (event: McpOAuthEvent) =>
      access.log(
        `${event.type}${event.type === 'failure' ? ` (${event.code})` : ''} user=${userTag(user)} server=${serverUrl}`,
      ),
  });
}

export const userTag = (user: string) =>
  createHash('sha256').update(user, 'utf8').digest('hex').slice(0, 8);

/**
 * Starts an authorization for `user`. Dynamic registration happens once per authorization
 * server for the whole gateway: the registration is stored app-wide, and this lock (in the
 * shared store, so across processes) keeps two users connecting at once from both registering.
 */
export async function beginConnect(
  access: McpAccess,
  user: string,
  serverUrl: string,
  redirectUri: string,
) {
  const oauth = oauthFor(access, user, serverUrl);
  const lockKey = `register:${createHash('sha256').update(serverUrl).digest('base64url')}`;
  const lock = await access.stores.app.lock(lockKey, { ttlMs: 30_000, timeoutMs: 30_000 });
  try {
    const begun = await oauth.beginAuthorization({ redirectUri });
    const url = new URL(begun.authorizationUrl);
    // OpenID Connect's login_hint: the authorization server may prefill its login with it
    url.searchParams.set('login_hint', user);
    return { authorizationUrl: url.href, pending: begun.pending };
  } finally {
    await lock.release();
  }
}

/** Calls a tool through the official SDK, with core's authorized fetch (refresh included). */
export async function callTool(
  oauth: McpOAuthClient,
  name: string,
  args: Record<string, unknown> = {},
): Promise<string> {
  const client = new Client({ name: 'mcp-web-gateway', version: '0.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(oauth.serverUrl), { fetch: oauth.fetch }),
  );
  try {
    const result = await client.callTool({ name, arguments: args });
    const content = Array.isArray(result.content) ? result.content : [];
    return content
      .map((part: { type?: string; text?: string }) =>
        part.type === 'text' ? (part.text ?? '') : `[${part.type}]`,
      )
      .join('\n');
  } finally {
    await client.close();
  }
}

/** What the page says about a connection: never a token. */
export type ConnectionStatus =
  | { state: 'connected'; info: TokenInfo }
  | { state: 'expired'; info: TokenInfo }
  | { state: 'needs_authorization' };

export async function connectionStatus(
  oauth: McpOAuthClient,
  now: number,
): Promise<ConnectionStatus> {
  const info = await oauth.status();
  if (!info) return { state: 'needs_authorization' };
  if (info.expiresAt !== undefined && info.expiresAt <= now) {
    return info.hasRefreshToken ? { state: 'expired', info } : { state: 'needs_authorization' };
  }
  return { state: 'connected', info };
}
