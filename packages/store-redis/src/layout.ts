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
export interface Layout {
  record(id: string): string;
  lock(id: string): string;
  /** The prefix of every record key name, for the list script. */
  readonly recordPrefix: string;
  readonly index: string;
  readonly check: string;
}

export function layoutOf(prefix: string, namespace: string): Layout {
  const base = `${prefix}:{${namespace}}`;
  return {
    record: (id) => `${base}:r:${id}`,
    lock: (id) => `${base}:l:${id}`,
    recordPrefix: `${base}:r:`,
    index: `${base}:index`,
    check: `${base}:check`,
  };
}
