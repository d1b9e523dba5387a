import { McpOAuthError } from '../errors/error.ts';

/**
 * The MCP server at `server` accepts only DPoP-bound tokens (RFC 9728 §2
 * `dpop_bound_access_tokens_required`, or a `DPoP`-only challenge) and the application passed no
 * `dpop` option: the error that names the option to set. Everything else about DPoP, the checks
 * of both servers' algorithms included, lives in `@mcp-oauth/core/dpop` (dpop/requirement.ts,
 * dpop/refused-bearer.ts), so applications without DPoP do not bundle it.
 */
export function dpopOptionMissing(server: string, status?: number): McpOAuthError {
  return new McpOAuthError(
    'invalid_configuration',
    `The MCP server ${server} accepts only DPoP-bound tokens (RFC 9449), and this client sends Bearer tokens: set the dpop option (dpop() from @mcp-oauth/core/dpop).`,
    { ...(status ? { status } : {}), details: { option: 'dpop', resource: server } },
  );
}

/**
 * Stored tokens bound to a DPoP key (RFC 9449: another application sharing the store obtained
 * them with DPoP), and this client has no `dpop` option: they are never sent as Bearer tokens
 * (RFC 9449 §7.1), nor refreshed without a proof. The same option names the way out.
 */
export function dpopBoundWithoutOption(resource: string): McpOAuthError {
  return new McpOAuthError(
    'invalid_configuration',
    `The stored tokens for ${resource} are DPoP-bound (RFC 9449), and a DPoP-bound token is never sent as a Bearer token: set the dpop option (dpop() from @mcp-oauth/core/dpop).`,
    { details: { option: 'dpop', resource } },
  );
}
