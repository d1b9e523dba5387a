import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { httpStatusOf } from '../http-status-of.ts';

/**
 * Which transports to try with the remote server: Streamable HTTP, the legacy HTTP+SSE
 * transport (MCP 2024-11-05), or one then the other (mcp-remote's `--transport` values).
 *
 * @example
 * ```ts
 * import { TRANSPORT_STRATEGIES, type TransportStrategy } from '@mcp-oauth/cli/bridge';
 *
 * const isStrategy = (value: string): value is TransportStrategy =>
 *   (TRANSPORT_STRATEGIES as readonly string[]).includes(value);
 * ```
 */
export const TRANSPORT_STRATEGIES = ['http-first', 'sse-first', 'http-only', 'sse-only'] as const;

/**
 * Which transports the bridge tries with the remote server, in order: `http-first` (the
 * default) tries Streamable HTTP, then HTTP+SSE; `-only` tries one.
 *
 * @example
 * ```ts
 * import { runBridge, type TransportStrategy } from '@mcp-oauth/cli/bridge';
 *
 * const transport: TransportStrategy = 'sse-only'; // a server that only has the legacy transport
 * await runBridge({ serverUrl: 'https://mcp.example.com/sse', oauth: { fetch }, transport });
 * ```
 */
export type TransportStrategy = (typeof TRANSPORT_STRATEGIES)[number];

/**
 * A transport to the remote server: Streamable HTTP, or the legacy HTTP+SSE transport.
 *
 * @example
 * ```ts
 * import { type RemoteKind, runBridge } from '@mcp-oauth/cli/bridge';
 *
 * const result = await runBridge({ serverUrl: 'https://mcp.example.com/mcp', oauth: { fetch } });
 * const used: RemoteKind | undefined = result.transport;
 * if (used === 'sse') console.error('the server only speaks the legacy HTTP+SSE transport');
 * ```
 */
export type RemoteKind = 'streamable-http' | 'sse';

export function transportOrder(strategy: TransportStrategy): RemoteKind[] {
  switch (strategy) {
    case 'http-first':
      return ['streamable-http', 'sse'];
    case 'sse-first':
      return ['sse', 'streamable-http'];
    case 'http-only':
      return ['streamable-http'];
    case 'sse-only':
      return ['sse'];
  }
}

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function createRemoteTransport(
  kind: RemoteKind,
  url: URL,
  fetch: FetchFn,
  headers: Record<string, string>,
): Transport & {
  setProtocolVersion?(version: string): void;
  readonly sessionId?: string | undefined;
} {
  const requestInit: RequestInit = Object.keys(headers).length ? { headers } : {};
  return kind === 'streamable-http'
    ? new StreamableHTTPClientTransport(url, { fetch, requestInit })
    : new SSEClientTransport(url, { fetch, requestInit });
}

/**
 * Whether a failure to open `kind` says the server speaks the other transport: an HTTP 4xx
 * other than 401/403 (MCP backwards compatibility: 404 or 405 for a legacy server's POST, or a
 * Streamable HTTP server's GET). Authorization failures and network errors are not.
 */
export function suggestsOtherTransport(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403;
}
