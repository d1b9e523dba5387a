import { dpopOptionMissing } from '../discovery/dpop-option-missing.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { DpopMode } from './keys.ts';

/**
 * A fresh Bearer token refused with a `DPoP`-only challenge (the caller checked the challenge):
 * the resource accepts only DPoP-bound tokens, and this client could not get one (mode `off`,
 * or the authorization server issued a Bearer token anyway).
 */
export function refusedBearerError(mode: DpopMode, url: string): McpOAuthError {
  const server = new URL(url).origin;
  return mode !== 'off'
    ? new McpOAuthError(
        'dpop_unavailable',
        `The MCP server at ${server} accepts only DPoP-bound tokens, and its authorization server issued a Bearer token (it does not advertise DPoP, or does not bind tokens for this client).`,
        { status: 401 },
      )
    : dpopOptionMissing(server, 401);
}
