/**
 * `@mcp-oauth/cli/bridge`: the stdio bridge of `mcp-oauth proxy`, for programs that embed it.
 * It speaks MCP over stdio to a host and Streamable HTTP (or HTTP+SSE) to a remote server,
 * with the tokens of an authorized fetch.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { runBridge } from '@mcp-oauth/cli/bridge';
 * import { fileStore } from '@mcp-oauth/store-file';
 *
 * const serverUrl = 'https://mcp.example.com/mcp';
 * await runBridge({ serverUrl, oauth: createOAuthClient({ serverUrl, store: fileStore() }) });
 * ```
 *
 * @module
 */
export type {
  BridgeError,
  BridgeLogLevel,
  BridgeOptions,
  BridgeResult,
} from './bridge.ts';
export { BRIDGE_ERROR } from './messages.ts';
export {
  type RemoteKind,
  TRANSPORT_STRATEGIES,
  type TransportStrategy,
} from './remote-transport.ts';
export { runBridge } from './run-bridge.ts';
