import type { TokensRecord } from '../store/records.ts';

/**
 * When to refresh proactively: `skewMs` before expiry, but never earlier than
 * halfway through the token's life (so short-lived tokens are still used).
 */
export function refreshDueAt(tokens: TokensRecord, skewMs: number): number | undefined {
  if (tokens.expiresAt === undefined) return undefined;
  const life = tokens.expiresAt - tokens.obtainedAt;
  return tokens.expiresAt - Math.min(skewMs, Math.max(0, life / 2));
}

export function isFresh(tokens: TokensRecord, now: number, skewMs: number): boolean {
  const due = refreshDueAt(tokens, skewMs);
  return due === undefined || now < due;
}
