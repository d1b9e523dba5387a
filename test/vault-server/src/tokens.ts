import { randomBytes } from 'node:crypto';

export interface TokenEntry {
  readonly id: string;
  readonly accessor: string;
  readonly policies: readonly string[];
  /** The TTL the token was created with, in seconds; 0 means it never expires (root). */
  readonly creationTtl: number;
  /** Hard limit in seconds from issue time; 0 means none. */
  readonly explicitMaxTtl: number;
  readonly renewable: boolean;
  readonly issuedAt: number;
  expiresAt: number | undefined;
  readonly path: string;
  readonly displayName: string;
  readonly meta: Record<string, string> | null;
}

export interface CreateTokenOptions {
  id?: string;
  /** Seconds; 0 or absent: never expires. */
  ttl?: number;
  /** Seconds after issue beyond which renewals cannot extend the token. */
  maxTtl?: number;
  renewable?: boolean;
  path?: string;
  displayName?: string;
  meta?: Record<string, string>;
}

const randomToken = () => `hvs.${randomBytes(18).toString('base64url')}`;

/** Vault's token store, reduced to what the KV client side exercises. */
export class TokenStoreState {
  readonly #tokens = new Map<string, TokenEntry>();
  constructor(private readonly now: () => number) {}

  create(policies: readonly string[], options: CreateTokenOptions = {}): TokenEntry {
    const issuedAt = this.now();
    const ttl = options.ttl ?? 0;
    const maxTtl = options.maxTtl ?? 0;
    const entry: TokenEntry = {
      id: options.id ?? randomToken(),
      accessor: randomBytes(12).toString('base64url'),
      policies: [...policies],
      creationTtl: ttl,
      explicitMaxTtl: maxTtl,
      renewable: ttl > 0 && (options.renewable ?? true),
      issuedAt,
      expiresAt: ttl > 0 ? issuedAt + ttl * 1000 : undefined,
      path: options.path ?? 'auth/token/create',
      displayName: options.displayName ?? 'token',
      meta: options.meta ?? null,
    };
    this.#tokens.set(entry.id, entry);
    return entry;
  }

  /** The live token for `id`, or undefined when unknown, revoked or expired. */
  lookup(id: string | undefined): TokenEntry | undefined {
    if (!id) return undefined;
    const entry = this.#tokens.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.#tokens.delete(id);
      return undefined;
    }
    return entry;
  }

  revoke(id: string): boolean {
    return this.#tokens.delete(id);
  }

  /** Seconds left, as `ttl` in lookup responses (0 for tokens that never expire). */
  ttlOf(entry: TokenEntry): number {
    if (entry.expiresAt === undefined) return 0;
    return Math.max(0, Math.round((entry.expiresAt - this.now()) / 1000));
  }

  /**
   * Extends the lease by `increment` seconds (default: the creation TTL), capped by
   * the explicit max TTL. Returns the warning Vault adds when the cap applied.
   */
  renew(entry: TokenEntry, increment: number | undefined): string | undefined {
    const now = this.now();
    const wanted = increment && increment > 0 ? increment : entry.creationTtl;
    let expiresAt = now + wanted * 1000;
    let warning: string | undefined;
    if (entry.explicitMaxTtl > 0) {
      const hardLimit = entry.issuedAt + entry.explicitMaxTtl * 1000;
      if (expiresAt > hardLimit) {
        expiresAt = hardLimit;
        warning = `TTL of "${wanted}s" exceeded the effective max_ttl of "${Math.max(0, Math.round((hardLimit - now) / 1000))}s"; TTL value is capped accordingly`;
      }
    }
    entry.expiresAt = expiresAt;
    return warning;
  }
}
