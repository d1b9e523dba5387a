import type { FlowContext } from '../flow/context.ts';
import { assertSecureUrl } from '../util/secure-url.ts';
import { initializeWithoutToken } from './initialize-without-token.ts';
import { bearerChallenge } from './www-authenticate.ts';

/** What an authorization takes from the MCP server's 401 challenge (MCP scope selection). */
export interface ProbedChallenge {
  challengeScope?: string;
  resourceMetadataUrl?: string;
}

/**
 * For an authorization that no 401 prompted (a login, or a first `getAccessToken()`): the
 * MCP server's own challenge, as an MCP client's first request would get it. MCP scope
 * selection puts the challenge's `scope` before the resource metadata's `scopes_supported`,
 * and a server may state its scopes only there. One unauthenticated `initialize` request;
 * anything but a 401 with a challenge (or a failure to reach the server, which discovery then
 * reports) gives nothing. A `DPoP` challenge is noted too (the resource takes DPoP).
 */
export async function probeChallenge(
  ctx: FlowContext,
  serverUrl: string,
): Promise<ProbedChallenge> {
  try {
    assertSecureUrl(serverUrl, 'The MCP server', ctx.allowInsecureHttp); // else discovery says why
    const response = await initializeWithoutToken(ctx.fetch, serverUrl, '2025-11-25', ctx.signal);
    if (response.status !== 401) return {};
    ctx.dpop?.observe(serverUrl, response);
    const challenge = bearerChallenge(response) ?? {};
    return {
      ...(challenge.scope ? { challengeScope: challenge.scope } : {}),
      ...(challenge.resource_metadata ? { resourceMetadataUrl: challenge.resource_metadata } : {}),
    };
  } catch {
    return {};
  }
}
