/**
 * The `id` of a JSON-RPC 2.0 request, echoed by its response.
 *
 * @example
 * ```ts
 * import type { JsonRpcId } from '@mcp-oauth/transport-fetch';
 *
 * const id: JsonRpcId = crypto.randomUUID();
 * ```
 */
export type JsonRpcId = string | number;

/**
 * A JSON-RPC 2.0 request: a call that expects a response with the same `id`.
 *
 * @example
 * ```ts
 * import type { JsonRpcRequest } from '@mcp-oauth/transport-fetch';
 *
 * const request: JsonRpcRequest = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
 * ```
 */
export interface JsonRpcRequest {
  /** Always `'2.0'`. */
  jsonrpc: '2.0';
  /** Chosen by the caller; the response carries the same one. */
  id: JsonRpcId;
  /** The method to call, e.g. `tools/list`. */
  method: string;
  /** The method's parameters, when it takes any. */
  params?: unknown;
}

/**
 * A JSON-RPC 2.0 notification: a message without `id`, which gets no response.
 *
 * @example
 * ```ts
 * import type { JsonRpcNotification } from '@mcp-oauth/transport-fetch';
 *
 * const note: JsonRpcNotification = { jsonrpc: '2.0', method: 'notifications/initialized' };
 * ```
 */
export interface JsonRpcNotification {
  /** Always `'2.0'`. */
  jsonrpc: '2.0';
  /** The notification's method, e.g. `notifications/progress`. */
  method: string;
  /** The notification's parameters, when it has any. */
  params?: unknown;
}

/**
 * The `error` member of a failed JSON-RPC 2.0 response.
 *
 * @example
 * ```ts
 * import type { JsonRpcErrorObject } from '@mcp-oauth/transport-fetch';
 *
 * const error: JsonRpcErrorObject = { code: -32601, message: 'Method not found' };
 * ```
 */
export interface JsonRpcErrorObject {
  /** The error code, e.g. -32601 (method not found) or a server-defined one. */
  code: number;
  /** A short description from the server. */
  message: string;
  /** Anything more the server attached. */
  data?: unknown;
}

/**
 * A successful JSON-RPC 2.0 response.
 *
 * @example
 * ```ts
 * import type { JsonRpcSuccess } from '@mcp-oauth/transport-fetch';
 *
 * const success: JsonRpcSuccess = { jsonrpc: '2.0', id: 1, result: { tools: [] } };
 * ```
 */
export interface JsonRpcSuccess {
  /** Always `'2.0'`. */
  jsonrpc: '2.0';
  /** The `id` of the request this answers. */
  id: JsonRpcId;
  /** What the method returned. */
  result: unknown;
}

/**
 * A failed JSON-RPC 2.0 response.
 *
 * @example
 * ```ts
 * import type { JsonRpcFailure } from '@mcp-oauth/transport-fetch';
 *
 * const failure: JsonRpcFailure = {
 *   jsonrpc: '2.0',
 *   id: 1,
 *   error: { code: -32602, message: 'Invalid params' },
 * };
 * ```
 */
export interface JsonRpcFailure {
  /** Always `'2.0'`. */
  jsonrpc: '2.0';
  /** The `id` of the request this answers; `null` when the server could not read it. */
  id: JsonRpcId | null;
  /** What went wrong. */
  error: JsonRpcErrorObject;
}

/**
 * A JSON-RPC 2.0 response: success or failure.
 *
 * @example
 * ```ts
 * import { isJsonRpcFailure, type JsonRpcResponse } from '@mcp-oauth/transport-fetch';
 *
 * declare const response: JsonRpcResponse;
 * if (isJsonRpcFailure(response)) console.error(response.error.message);
 * else console.log(response.result);
 * ```
 */
export type JsonRpcResponse = JsonRpcSuccess | JsonRpcFailure;

/**
 * Any JSON-RPC 2.0 message an MCP server may send: request, notification or response.
 *
 * @example
 * ```ts
 * import { isJsonRpcResponse, type JsonRpcMessage } from '@mcp-oauth/transport-fetch';
 *
 * declare const message: JsonRpcMessage;
 * if (!isJsonRpcResponse(message)) console.log('server sent', message.method);
 * ```
 */
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True for any well-formed JSON-RPC 2.0 message: request, notification or response.
 *
 * @example
 * ```ts
 * import { isJsonRpcMessage } from '@mcp-oauth/transport-fetch';
 *
 * isJsonRpcMessage({ jsonrpc: '2.0', id: 1, result: {} }); // true
 * isJsonRpcMessage({ id: 1, result: {} }); // false: no `jsonrpc: '2.0'`
 * ```
 */
export function isJsonRpcMessage(value: unknown): value is JsonRpcMessage {
  if (!isObject(value) || value.jsonrpc !== '2.0') return false;
  if (typeof value.method === 'string') return true;
  if ('result' in value) return typeof value.id === 'string' || typeof value.id === 'number';
  if (isObject(value.error)) {
    return typeof value.error.code === 'number' && typeof value.error.message === 'string';
  }
  return false;
}

/**
 * True when the message is a response (it has no `method`), success or failure.
 *
 * @example
 * ```ts
 * import { isJsonRpcResponse, type JsonRpcMessage } from '@mcp-oauth/transport-fetch';
 *
 * declare const message: JsonRpcMessage;
 * if (isJsonRpcResponse(message)) console.log('answer to', message.id);
 * ```
 */
export function isJsonRpcResponse(message: JsonRpcMessage): message is JsonRpcResponse {
  return !('method' in message);
}

/**
 * True when the message is a failed response (it carries `error`).
 *
 * @example
 * ```ts
 * import { isJsonRpcFailure, type JsonRpcMessage } from '@mcp-oauth/transport-fetch';
 *
 * declare const message: JsonRpcMessage;
 * if (isJsonRpcFailure(message)) console.error(message.error.code, message.error.message);
 * ```
 */
export function isJsonRpcFailure(message: JsonRpcMessage): message is JsonRpcFailure {
  return 'error' in message && !('method' in message);
}
