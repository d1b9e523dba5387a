import { McpOAuthError } from '../errors/error.ts';

/**
 * Parameters of the authorization request that the library sets itself: an application's
 * `authorizationParams` may not name them (PKCE, state, the RFC 8707 resource, the OIDC nonce,
 * the RFC 9207 issuer and request objects would otherwise be overridden or smuggled in).
 */
export const RESERVED_AUTHORIZATION_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'state',
  'code_challenge',
  'code_challenge_method',
  'resource',
  'scope',
  'nonce',
  'iss',
  'request',
  'request_uri',
  'code_verifier',
  'client_secret',
] as const;

/**
 * Refuses extra authorization parameters the library owns (or that are not strings), naming
 * them; `scope` has its own option (`scopes`).
 */
export function checkAuthorizationParams(params: Record<string, unknown> | undefined): void {
  if (!params) return;
  const reserved: readonly string[] = RESERVED_AUTHORIZATION_PARAMS;
  const owned = Object.keys(params).filter((name) => reserved.includes(name.toLowerCase()));
  if (owned.length > 0)
    throw new McpOAuthError(
      'invalid_configuration',
      `The authorization parameters ${owned.join(', ')} are set by the library and cannot be given in \`authorizationParams\`${owned.some((name) => name.toLowerCase() === 'scope') ? ' (ask for scopes with `scopes`)' : ''}.`,
      { details: { parameters: owned.join(' ') } },
    );
  const notStrings = Object.keys(params).filter((name) => typeof params[name] !== 'string');
  if (notStrings.length > 0)
    throw new McpOAuthError(
      'invalid_configuration',
      `The authorization parameters ${notStrings.join(', ')} must be strings in \`authorizationParams\`.`,
      { details: { parameters: notStrings.join(' ') } },
    );
}

/** Extra authorization parameters without the undefined ones; undefined when none is left. */
export function definedParams(
  params: Record<string, string | undefined> | undefined,
): Record<string, string> | undefined {
  if (!params) return undefined;
  const defined = Object.entries(params).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return defined.length > 0 ? Object.fromEntries(defined) : undefined;
}

/** The client's extra authorization parameters with a call's over them, checked; undefined when none. */
export function mergedAuthorizationParams(
  fromClient: Record<string, string | undefined> | undefined,
  fromCall: Record<string, string | undefined> | undefined,
): Record<string, string> | undefined {
  const merged = definedParams({ ...fromClient, ...fromCall });
  checkAuthorizationParams(merged);
  return merged;
}
