/**
 * Scope selection in the MCP order. A challenge the server answered an operation with (a 401
 * or 403 `scope`) is authoritative for that operation (MCP scope selection, MUST): its scopes
 * are always asked for, together with the scopes the application asked for (`requested`, the
 * `scopes` option). Without a challenge: the scopes the application asked for; else every
 * scope of the resource metadata's `scopes_supported`; else none (the parameter is omitted).
 * `offline_access` is added only when the authorization server lists it and a refresh token
 * is wanted.
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
 * selectScopes({ requested: ['mcp:read'], challengeScope: 'mcp:admin', wantRefreshToken: false });
 * // 'mcp:admin mcp:read'
 * ```
 */
export function selectScopes(args: {
  requested?: string[] | undefined;
  challengeScope?: string | undefined;
  resourceScopes?: string[] | undefined;
  serverScopes?: string[] | undefined;
  wantRefreshToken: boolean;
}): string | undefined {
  const challenged = splitScope(args.challengeScope);
  let scopes: string[];
  if (challenged.length) scopes = [...challenged, ...(args.requested ?? [])];
  else if (args.requested?.length) scopes = [...args.requested];
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
