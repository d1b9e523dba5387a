export { createFetch, type FetchLike, type TransportFetch } from './create-fetch.ts';
export type { FailurePhase } from './errors.ts';
export {
  isJsonRpcFailure,
  isJsonRpcMessage,
  isJsonRpcResponse,
  type JsonRpcErrorObject,
  type JsonRpcFailure,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type JsonRpcSuccess,
} from './mcp/jsonrpc.ts';
export { iterateMcpMessages, readMcpResponse } from './mcp/read-response.ts';
export { type McpRequestOptions, mcpRequest } from './mcp/request.ts';
export {
  type CreateFetchOptions,
  DEFAULTS,
  type RetryEvent,
  type RetryOptions,
} from './options.ts';
export {
  type FetchOptionNamedByErrors,
  OPTIONS_NAMED_BY_ERRORS,
} from './options-named-by-errors.ts';
export {
  isRetrySafe,
  RETRY_STATUSES,
  type RetryFailure,
  type RetryRequest,
} from './retry/is-retry-safe.ts';
export { DEFAULT_USER_AGENT, VERSION } from './version.ts';
