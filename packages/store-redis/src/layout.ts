/**
 * Redis key names. Every key of a namespace carries the same hash tag `{<namespace>}`,
 * so a record, its index entry and its lock live in one hash slot (one shard of a
 * cluster) and the scripts that touch several of them stay atomic. Namespaces, and so
 * tenants, spread over the shards.
 *
 *   <prefix>:{<ns>}:r:<id>   a record (string, sealed)
 *   <prefix>:{<ns>}:l:<id>   the lock of a key (string: the holder's random token, PX ttl)
 *   <prefix>:{<ns>}:index    hash: id → sealed record key, for list() without KEYS/SCAN
 *   <prefix>:{<ns>}:check    the key check (sealed constant)
 *
 * `<id>` is the HMAC of the record key (see crypto.ts): key names reveal no server URL.
 */
export class Layout {
  /** `<prefix>:{<ns>}`: every other name is made from it when needed. */
  readonly #base: string;

  constructor(prefix: string, namespace: string) {
    this.#base = `${prefix}:{${namespace}}`;
  }

  record(id: string): string {
    return `${this.#base}:r:${id}`;
  }

  lock(id: string): string {
    return `${this.#base}:l:${id}`;
  }

  /** The prefix of every record key name, for the list script. */
  get recordPrefix(): string {
    return `${this.#base}:r:`;
  }

  get index(): string {
    return `${this.#base}:index`;
  }

  get check(): string {
    return `${this.#base}:check`;
  }
}

/** The key names of a namespace under a prefix. */
export function layoutOf(prefix: string, namespace: string): Layout {
  return new Layout(prefix, namespace);
}
