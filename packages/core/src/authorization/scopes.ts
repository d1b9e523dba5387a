/**
 * Scope selection in the MCP order: the scope of the challenge that asked for
 * authorization; else every scope of the resource metadata's `scopes_supported`;
 * else none (the parameter is omitted). `offline_access` is added only when the
 * authorization server lists it and a refresh token is wanted. Scopes the application asked
 * for (`requested`) come first of all.
 *
 * @example
 * ```ts
 * import { selectScopes } from '@mcp-oauth/core/flow';
 *
 * selectScopes({
 *   challengeScope: 'mcp:read',
 *   resourceScopes: ['mcp:read', 'mcp:write'],
 *   serverScopes: ['mcp:read', 'mcp:write', 'offline_access'],
 *   wantRefreshToken: true,
 * }); // 'mcp:read offline_access'
 * ```
 */
export function selectScopes(args: {
  requested?: string[] | undefined;
  challengeScope?: string | undefined;
  resourceScopes?: string[] | undefined;
  serverScopes?: string[] | undefined;
  wantRefreshToken: boolean;
}): string | undefined {
  let scopes: string[];
  if (args.requested?.length) scopes = [...args.requested];
  else if (args.challengeScope) scopes = splitScope(args.challengeScope);
  else if (args.resourceScopes?.length) scopes = [...args.resourceScopes];
  else scopes = [];
  if (
    args.wantRefreshToken &&
    args.serverScopes?.includes('offline_access') &&
    !scopes.includes('offline_access') &&
    scopes.length > 0
  ) {
    scopes.push('offline_access');
  }
  return scopes.length ? unique(scopes).join(' ') : undefined;
}

export function splitScope(scope: string | undefined): string[] {
  return scope ? scope.split(/\s+/).filter(Boolean) : [];
}

/**
 * The union of space-separated scope strings, in first-seen order, as one string.
 *
 * @example
 * ```ts
 * import { unionScopes } from '@mcp-oauth/core/flow';
 *
 * unionScopes('mcp:read files:read', undefined, 'files:read mcp:write'); // 'mcp:read files:read mcp:write'
 * ```
 */
export function unionScopes(...scopes: (string | undefined)[]): string {
  return unique(scopes.flatMap(splitScope)).join(' ');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
