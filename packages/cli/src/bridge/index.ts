export {
  type BridgeError,
  type BridgeLogLevel,
  type BridgeOptions,
  type BridgeResult,
  runBridge,
} from './bridge.ts';
export { BRIDGE_ERROR } from './messages.ts';
export { TRANSPORT_STRATEGIES, type TransportStrategy } from './remote-transport.ts';
