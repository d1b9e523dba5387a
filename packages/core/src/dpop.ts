// DPoP (RFC 9449): sender-constrained tokens, where the MCP server and its authorization server both take them.

export {
  type DpopMode,
  negotiateDpopAlgorithm,
  type ResourceDpop,
  resourceTakesDpop,
} from './dpop/negotiate.ts';
export { type DpopOptions, type DpopSupport, dpop } from './dpop/support.ts';
