import { parseWwwAuthenticate } from '../discovery/www-authenticate.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';

/**
 * A fresh Bearer token refused with a `DPoP` challenge and no `Bearer` one: the resource accepts
 * only DPoP-bound tokens, and this client could not get one (no `dpop` option, or the
 * authorization server issued a Bearer token anyway).
 */
export function dpopOnlyError(
  ctx: FlowContext,
  response: Response,
  url: string,
): McpOAuthError | undefined {
  const schemes = parseWwwAuthenticate(response.headers.get('www-authenticate')).map(
    (c) => c.scheme,
  );
  if (!schemes.includes('dpop') || schemes.includes('bearer')) return undefined;
  const server = new URL(url).origin;
  return ctx.dpop && ctx.dpop.mode !== 'off'
    ? new McpOAuthError(
        'dpop_unavailable',
        `The MCP server at ${server} accepts only DPoP-bound tokens, and its authorization server issued a Bearer token (it does not advertise DPoP, or does not bind tokens for this client).`,
        { status: 401 },
      )
    : new McpOAuthError(
        'invalid_configuration',
        `The MCP server at ${server} accepts only DPoP-bound tokens, and this client sends Bearer tokens: set the dpop option (dpop() from @mcp-oauth/core/dpop).`,
        { status: 401, details: { option: 'dpop' } },
      );
}
