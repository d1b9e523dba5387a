import { storeKeys } from './keys.ts';
import type { ClientRecord, DiscoveryRecord, TokensRecord } from './records.ts';
import type { StoreRecord, TokenStore } from './types.ts';

/**
 * Options of {@link pruneStore}.
 *
 * @example
 * ```ts
 * import { memoryStore, type PruneOptions, pruneStore } from '@mcp-oauth/core/store';
 *
 * const options: PruneOptions = { dryRun: true, refreshTokenLifetimeMs: 14 * 24 * 3600_000 };
 * const wouldDelete = await pruneStore(memoryStore(), options);
 * ```
 */
export interface PruneOptions {
  /** The time to judge expiry by (ms since the epoch). Default `Date.now()`. */
  now?: number;
  /**
   * How long the authorization server keeps refresh tokens, when the app knows it (servers
   * rarely say). Tokens obtained longer ago than this count as past use even with a refresh
   * token. Default: unknown, so tokens with a refresh token are kept.
   */
  refreshTokenLifetimeMs?: number;
  /** Report what would be deleted without deleting anything. Default false. */
  dryRun?: boolean;
}

/**
 * What {@link pruneStore} deleted (or would delete, with `dryRun`): store keys, never secrets.
 *
 * @example
 * ```ts
 * import { memoryStore, type PruneResult, pruneStore } from '@mcp-oauth/core/store';
 *
 * const result: PruneResult = await pruneStore(memoryStore());
 * for (const key of [...result.tokens, ...result.registrations, ...result.dpopKeys]) console.log(`removed ${key}`);
 * ```
 */
export interface PruneResult {
  /** Token records whose access token expired with no usable refresh token. */
  tokens: string[];
  /** Dynamic registrations that expired, or that no stored server uses any more. */
  registrations: string[];
  /** DPoP key pairs whose tokens are gone. */
  dpopKeys: string[];
  /**
   * Client ids of replaced registrations (`ClientRecord.previous`) that no stored tokens were
   * issued to any more, let go from the registration that replaced them.
   */
  replacedRegistrations: string[];
}

const isKind = <K extends string>(
  record: StoreRecord | undefined,
  kind: K,
): record is StoreRecord & { kind: K } => record?.kind === kind;

/** True when tokens can no longer be used, by access token or by refresh. */
function pastUse(tokens: TokensRecord, now: number, refreshLifetimeMs: number | undefined) {
  const accessExpired = tokens.expiresAt !== undefined && tokens.expiresAt <= now;
  if (!accessExpired) return false;
  if (tokens.refreshToken === undefined) return true;
  return refreshLifetimeMs !== undefined && tokens.obtainedAt + refreshLifetimeMs <= now;
}

/**
 * Removes records that can no longer serve any request, from any `TokenStore`:
 * - tokens whose access token expired and that have no refresh token (or one older than
 *   `refreshTokenLifetimeMs`); each is re-read under the store's lock for its key before it
 *   is deleted, so tokens another process refreshes meanwhile are kept;
 * - dynamic registrations whose client secret expired (`client_secret_expires_at`), or whose
 *   issuer no stored server uses (no tokens, no discovery record naming it);
 * - DPoP key pairs with no tokens left for their (issuer, resource).
 * Pre-registered clients, names (aliases) and discovery records are kept.
 *
 * @example
 * ```ts
 * import { memoryStore, pruneStore } from '@mcp-oauth/core/store';
 *
 * const store = memoryStore();
 * const pruned = await pruneStore(store, { refreshTokenLifetimeMs: 30 * 24 * 3600_000 });
 * console.log(`${pruned.tokens.length} expired token records removed`);
 * ```
 */
export async function pruneStore(
  store: TokenStore,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const now = options.now ?? Date.now();
  const result: PruneResult = {
    tokens: [],
    registrations: [],
    dpopKeys: [],
    replacedRegistrations: [],
  };
  const liveTokens = new Set<string>(); // `${issuer} ${resource}` of tokens kept
  const usedIssuers = new Set<string>();
  const usedClients = new Set<string>(); // `${issuer} ${clientId}` the tokens kept were issued to

  for (const key of await store.list(storeKeys.tokens('', '').slice(0, -1))) {
    const record = await store.get(key);
    if (!isKind(record, 'tokens')) continue;
    const tokens = record as unknown as TokensRecord;
    if (!pastUse(tokens, now, options.refreshTokenLifetimeMs)) {
      liveTokens.add(`${tokens.issuer} ${tokens.resource}`);
      usedIssuers.add(tokens.issuer);
      usedClients.add(`${tokens.issuer} ${tokens.clientId}`);
      continue;
    }
    if (options.dryRun) {
      result.tokens.push(key);
      continue;
    }
    const lock = await store.lock(key);
    try {
      // Re-read under the lock: another process may have refreshed them meanwhile.
      const latest = await store.get(key);
      const current = isKind(latest, 'tokens') ? (latest as unknown as TokensRecord) : undefined;
      if (current && !pastUse(current, now, options.refreshTokenLifetimeMs)) {
        liveTokens.add(`${current.issuer} ${current.resource}`);
        usedIssuers.add(current.issuer);
        usedClients.add(`${current.issuer} ${current.clientId}`);
        continue;
      }
      if (current) {
        await store.delete(key);
        result.tokens.push(key);
      }
    } finally {
      await lock.release();
    }
  }

  for (const key of await store.list(storeKeys.discovery(''))) {
    const record = await store.get(key);
    if (isKind(record, 'discovery')) usedIssuers.add((record as unknown as DiscoveryRecord).issuer);
  }

  for (const key of await store.list(storeKeys.client(''))) {
    const record = await store.get(key);
    if (!isKind(record, 'client')) continue;
    const client = record as unknown as ClientRecord;
    if (client.source !== 'dynamic-registration') continue;
    const expired =
      client.clientSecretExpiresAt !== undefined &&
      client.clientSecretExpiresAt !== 0 &&
      client.clientSecretExpiresAt <= now;
    if (!expired && usedIssuers.has(client.issuer)) {
      // the registration it replaced, kept for tokens issued to it: let go once none are left
      const { previous, ...kept } = client;
      if (previous && !usedClients.has(`${client.issuer} ${previous.clientId}`)) {
        if (!options.dryRun) await store.set(key, kept as unknown as StoreRecord);
        result.replacedRegistrations.push(previous.clientId);
      }
      continue;
    }
    if (!options.dryRun) await store.delete(key);
    result.registrations.push(key);
  }

  const dpopPrefix = storeKeys.dpopKey('', '').slice(0, -1);
  for (const key of await store.list(dpopPrefix)) {
    if (liveTokens.has(key.slice(dpopPrefix.length))) continue;
    if (!options.dryRun) await store.delete(key);
    result.dpopKeys.push(key);
  }
  return result;
}
