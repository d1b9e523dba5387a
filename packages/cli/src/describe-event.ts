import type { McpOAuthEvent } from '@mcp-oauth/core';

/**
 * One progress line per event (events never carry secrets). `endpointsGiven`: the server's
 * authorization server was given by hand (--issuer and its endpoints), not discovered.
 */
export function describeEvent(
  event: McpOAuthEvent,
  how: { endpointsGiven?: boolean } = {},
): string | undefined {
  switch (event.type) {
    case 'discovery':
      // MCP 2025-03-26: no protected resource metadata, the server's origin is taken (said
      // again from the cache: a mistyped URL is found this way too)
      if (!event.resourceMetadataUrl && !how.endpointsGiven)
        return `${event.cached ? `Using the cached discovery for ${event.resource}: no protected resource metadata, so its origin ${event.issuer} is` : `No protected resource metadata at ${event.resource}: taking its origin ${event.issuer} as`} the authorization server (MCP 2025-03-26). If this is not an MCP server, check the URL.`;
      return event.cached
        ? `Using the cached discovery for ${event.resource} (authorization server ${event.issuer}).`
        : event.resourceMetadataUrl
          ? `Discovered the authorization server ${event.issuer} (resource metadata ${event.resourceMetadataUrl}).`
          : `Using the authorization server ${event.issuer} with the endpoints given (--issuer).`;
    case 'registered':
      return `Client ${event.clientId} (${event.source.replaceAll('-', ' ')}).`;
    case 'authorization_started':
      return `Authorizing with ${event.issuer} by ${event.via.replace('_', ' ')}${event.scope ? ` for scope "${event.scope}"` : ''}.`;
    case 'device_code':
      return undefined;
    case 'authorized':
      return `Authorized${event.scope ? ` with scope "${event.scope}"` : ''}.`;
    case 'scope_narrowed':
      return `Not granted: ${event.missing.join(' ')} (asked for "${event.requested.join(' ')}").`;
    case 'refreshed':
      return `Refreshed the tokens for ${event.resource}${event.rotated ? ' (the refresh token was rotated)' : ''}.`;
    case 'refresh_failed':
      return undefined; // the error itself is reported (a failure event, then the message)
    case 'refresh_skipped':
      return 'Another process had already refreshed the tokens.';
    case 'step_up':
      return `The server asks for more scope: ${event.scope} (attempt ${event.attempt}).`;
    case 'tokens_deleted':
      return `Deleted the stored tokens (${event.reason.replace('_', ' ')}).`;
    case 'registration_dropped':
      return `The authorization server ${event.issuer} no longer knows the client ${event.clientId}: its stored registration was removed${event.reason === 'invalid_client' ? ' (invalid_client)' : ''}.`;
    case 'revoked':
      return `Revoked ${event.tokenTypeHint ? `the ${event.tokenTypeHint.replace('_', ' ')}` : 'a token'} at ${event.issuer}.`;
    case 'retry':
      return `Retrying ${event.url} in ${event.delayMs} ms (${event.reason}).`;
    case 'failure':
      return `Failed: ${event.message} (${event.code}).`;
  }
}
