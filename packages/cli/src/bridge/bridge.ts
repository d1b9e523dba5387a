import type { Readable, Writable } from 'node:stream';
import type { RemoteKind, TransportStrategy } from './remote-transport.ts';

/**
 * How much a bridge log line matters, from `debug` (per message, with `traceMessages`) to
 * `error`.
 *
 * @example
 * ```ts
 * import { type BridgeLogLevel, runBridge } from '@mcp-oauth/cli/bridge';
 *
 * const log = (level: BridgeLogLevel, message: string) => {
 *   if (level !== 'debug') process.stderr.write(`[${level}] ${message}\n`);
 * };
 * await runBridge({ serverUrl: 'https://mcp.example.com/mcp', oauth: { fetch }, log });
 * ```
 */
export type BridgeLogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * How a failure is told to the host: a JSON-RPC error's code, message and data.
 *
 * @example
 * ```ts
 * import { BRIDGE_ERROR, type BridgeError, runBridge } from '@mcp-oauth/cli/bridge';
 *
 * const describeError = (error: unknown): BridgeError => ({
 *   code: BRIDGE_ERROR.remoteFailed,
 *   message: `The MCP server failed: ${error instanceof Error ? error.message : String(error)}`,
 * });
 * await runBridge({ serverUrl: 'https://mcp.example.com/mcp', oauth: { fetch }, describeError });
 * ```
 */
export interface BridgeError {
  /** The JSON-RPC error code, e.g. one of `BRIDGE_ERROR`. */
  code: number;
  /** The error message the host shows. */
  message: string;
  /** More for the host, e.g. `{ command }` to log in again. */
  data?: Record<string, unknown>;
}

/**
 * Options of `runBridge`: the remote server, its authorized fetch, and the host's streams.
 *
 * @example
 * ```ts
 * import { type BridgeOptions, runBridge } from '@mcp-oauth/cli/bridge';
 *
 * const options: BridgeOptions = {
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   oauth: { fetch }, // an authorized fetch; core's client in real use
 *   transport: 'http-only',
 *   ignoreTools: ['delete_*'],
 * };
 * await runBridge(options);
 * ```
 */
export interface BridgeOptions {
  /** The remote MCP server. */
  serverUrl: string | URL;
  /** Its authorized fetch: `createOAuthClient(...)` from `@mcp-oauth/core` fits. */
  oauth: {
    /** A fetch that adds the access token to each request (and refreshes it). */
    fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  };
  /** Where the host writes (default process.stdin). */
  stdin?: Readable;
  /** Where the host reads: MCP messages only (default process.stdout). */
  stdout?: Writable;
  /** Default 'http-first': Streamable HTTP, else the legacy HTTP+SSE transport. */
  transport?: TransportStrategy;
  /** Extra headers on every request to the remote server (never logged). */
  headers?: Record<string, string>;
  /** Tools hidden from tools/list and refused in tools/call (`*` wildcards). */
  ignoreTools?: readonly string[];
  /** Lines for a log; never a token or a message's content. */
  log?: (level: BridgeLogLevel, message: string) => void;
  /** Also a debug line per message forwarded (its method and id, never its content). */
  traceMessages?: boolean;
  /**
   * A message the remote server could not take: resolve true once the cause is fixed (a new
   * login, say) to send it once more; false to answer the host with the failure. `message` is
   * the host's message that failed (its `method`: `initialize`, `tools/call`, ...).
   */
  recover?: (
    error: unknown,
    message: { readonly method?: string | undefined; readonly id?: string | number | undefined },
  ) => Promise<boolean>;
  /** The JSON-RPC error the host gets for a failure (default: the error's message). */
  describeError?: (error: unknown) => BridgeError;
  /** Aborting ends the bridge as the host closing stdin does. */
  signal?: AbortSignal;
}

/**
 * How a bridge ended, and what it carried.
 *
 * @example
 * ```ts
 * import { runBridge } from '@mcp-oauth/cli/bridge';
 *
 * const result = await runBridge({ serverUrl: 'https://mcp.example.com/mcp', oauth: { fetch } });
 * console.error(
 *   `${result.reason}: ${result.forwarded.toRemote} messages sent over ${result.transport ?? 'no transport'}`,
 * );
 * ```
 */
export interface BridgeResult {
  /** Why it ended: the host closed stdin, stdout closed, or `signal` aborted. */
  reason: 'stdin_closed' | 'stdout_closed' | 'aborted';
  /** The transport used with the remote server, if one was opened. */
  transport: RemoteKind | undefined;
  /** How many JSON-RPC messages were forwarded each way. */
  forwarded: {
    /** From the host to the remote server. */
    toRemote: number;
    /** From the remote server (or the bridge itself) to the host. */
    toHost: number;
  };
}
