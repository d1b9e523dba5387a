import type { TokensRecord } from '../store/records.ts';
import { splitScope } from './scopes.ts';

/** The scopes asked for and not granted, or undefined when nothing is missing. */
export interface ScopeNarrowing {
  requested: string[];
  granted: string[];
  missing: string[];
}

/**
 * Compares the scope asked for with the scope of the tokens (the token response's, or the
 * one asked for when the response named none: RFC 6749 §5.1). `offline_access` asks for a
 * refresh token, not an access token scope, so it counts as granted when one came.
 */
export function scopeNarrowing(
  requestedScope: string | undefined,
  tokens: TokensRecord,
): ScopeNarrowing | undefined {
  const requested = splitScope(requestedScope);
  const granted = splitScope(tokens.scope);
  const missing = requested.filter(
    (scope) =>
      !granted.includes(scope) &&
      !(scope === 'offline_access' && tokens.refreshToken !== undefined),
  );
  return missing.length ? { requested, granted, missing } : undefined;
}
