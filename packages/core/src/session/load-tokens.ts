import { McpOAuthError } from '../errors/error.ts';
import { storeKeys } from '../store/keys.ts';
import { type DiscoveryRecord, readRecord, type TokensRecord } from '../store/records.ts';
import { saveTokens } from './save-tokens.ts';
import type { ServerSession } from './session.ts';

/** The cached discovery record, without any request. */
export async function cachedDiscovery(
  session: ServerSession,
): Promise<DiscoveryRecord | undefined> {
  const key = storeKeys.discovery(session.resourceKey);
  return readRecord(await session.ctx.store.get(key), 'discovery', key);
}

/** The cached discovery record, or reauthorization_required ("authorize first"). */
export async function requireDiscovery(session: ServerSession): Promise<DiscoveryRecord> {
  const discovery = await cachedDiscovery(session);
  if (!discovery)
    throw new McpOAuthError(
      'reauthorization_required',
      `Nothing is known about ${session.resourceKey} yet: authorize first.`,
    );
  return discovery;
}

/** Stored tokens (memory first), without refreshing. Tokens left unsaved are saved first. */
export async function loadTokens(session: ServerSession): Promise<TokensRecord | undefined> {
  if (session.unsaved) await saveTokens(session, session.unsaved);
  if (session.current) return session.current;
  const discovery = await cachedDiscovery(session);
  if (!discovery) return undefined;
  const key = storeKeys.tokens(discovery.issuer, discovery.resource);
  session.current = readRecord(await session.ctx.store.get(key), 'tokens', key);
  return session.current;
}

/** The stored tokens, or reauthorization_required ("log in first"). */
export async function requireTokens(session: ServerSession): Promise<TokensRecord> {
  const tokens = await loadTokens(session);
  if (!tokens)
    throw new McpOAuthError(
      'reauthorization_required',
      `No tokens are stored for ${session.resourceKey}: log in first.`,
    );
  return tokens;
}
