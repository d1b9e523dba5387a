import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** A JSON-RPC id as MCP allows it. */
export type RequestId = string | number;

export interface RequestMessage {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

/**
 * Structural checks, no schema parse: every message is already validated once by the
 * transport that received it, and these run on the hot path of every forwarded message.
 */
export function isRequest(message: JSONRPCMessage): message is JSONRPCMessage & RequestMessage {
  return 'method' in message && 'id' in message && message.id !== undefined;
}

export function isResponse(
  message: JSONRPCMessage,
): message is JSONRPCMessage & { id: RequestId; result?: unknown; error?: unknown } {
  return !('method' in message) && 'id' in message;
}

/** What a message is, for logs: its method or "response", and its id; never its content. */
export function describeMessage(message: JSONRPCMessage): string {
  const id = 'id' in message && message.id !== undefined ? ` #${String(message.id)}` : '';
  if ('method' in message)
    return `${isRequest(message) ? 'request' : 'notification'} ${message.method}${id}`;
  return `${'error' in message ? 'error response' : 'response'}${id}`;
}

/**
 * JSON-RPC error codes the bridge answers with (the implementation-defined server range).
 *
 * @example
 * ```ts
 * import { BRIDGE_ERROR } from '@mcp-oauth/cli/bridge';
 *
 * // in a host: what an error from the bridge means
 * const needsLogin = (error: { code: number }) => error.code === BRIDGE_ERROR.loginNeeded;
 * ```
 */
export const BRIDGE_ERROR = {
  /** The remote server could not be reached or failed to answer. */
  remoteFailed: -32000,
  /** Authorization is needed that the bridge cannot obtain by itself: `data.command` logs in. */
  loginNeeded: -32001,
  /** A tool hidden by the bridge's configuration (--ignore-tool). */
  toolHidden: -32002,
  /**
   * The bridge could not start (`mcp-oauth proxy`: its store cannot be opened): the message
   * says what to do. Every request is answered with it until the host closes the bridge.
   */
  startFailed: -32003,
} as const;

export function errorResponse(
  id: RequestId,
  code: number,
  message: string,
  data?: Record<string, unknown>,
): JSONRPCMessage {
  return {
    jsonrpc: '2.0',
    id,
    error: { code, message, ...(data ? { data } : {}) },
  } as JSONRPCMessage;
}
