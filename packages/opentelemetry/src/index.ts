// @mcp-oauth/opentelemetry: OpenTelemetry metrics and spans from the diagnostics channels of
// @mcp-oauth/core and its store and transport packages.
export {
  type InstrumentMcpOAuthOptions,
  instrumentMcpOAuth,
  type McpOAuthInstrumentation,
} from './instrument.ts';
