import { vaultTime } from './reply.ts';

export interface VersionEntry {
  /** The JSON text of the version's data; undefined once destroyed. */
  data: string | undefined;
  readonly createdTime: number;
  deletionTime: number | undefined;
  destroyed: boolean;
}

export interface KeyMetadata {
  currentVersion: number;
  oldestVersion: number;
  readonly createdTime: number;
  updatedTime: number;
  readonly versions: Map<number, VersionEntry>;
}

export type WriteOutcome =
  | { ok: true; version: number; entry: VersionEntry }
  | { ok: false; error: string };

/** Vault's default `max_versions` when neither the engine nor the key sets one. */
export const DEFAULT_MAX_VERSIONS = 10;

/**
 * The state of one KV version 2 mount in one namespace: per-key metadata with
 * numbered versions, soft deletes, destroys, check-and-set, and oldest-version
 * cleanup at `max_versions`, as the kv plugin keeps them.
 */
export class KvEngine {
  readonly keys = new Map<string, KeyMetadata>();
  constructor(private readonly now: () => number) {}

  /** `cas` semantics of `validateCheckAndSetOption`: the write needs cas == current version. */
  write(path: string, data: Record<string, unknown>, cas: number | undefined): WriteOutcome {
    const existing = this.keys.get(path);
    const current = existing?.currentVersion ?? 0;
    if (cas !== undefined && cas !== current) {
      return { ok: false, error: 'check-and-set parameter did not match the current version' };
    }
    const now = this.now();
    const meta: KeyMetadata = existing ?? {
      currentVersion: 0,
      oldestVersion: 0,
      createdTime: now,
      updatedTime: now,
      versions: new Map(),
    };
    const version = meta.currentVersion + 1;
    const entry: VersionEntry = {
      data: JSON.stringify(data),
      createdTime: now,
      deletionTime: undefined,
      destroyed: false,
    };
    meta.versions.set(version, entry);
    meta.currentVersion = version;
    meta.updatedTime = now;
    if (meta.oldestVersion === 0) meta.oldestVersion = 1;
    while (meta.versions.size > DEFAULT_MAX_VERSIONS) {
      meta.versions.delete(meta.oldestVersion);
      meta.oldestVersion += 1;
    }
    this.keys.set(path, meta);
    return { ok: true, version, entry };
  }

  versionMetadata(version: number, entry: VersionEntry) {
    return {
      created_time: vaultTime(entry.createdTime),
      custom_metadata: null,
      deletion_time: entry.deletionTime === undefined ? '' : vaultTime(entry.deletionTime),
      destroyed: entry.destroyed,
      version,
    };
  }

  /** Soft-deletes the listed versions (those that exist and are not yet deleted). */
  softDelete(path: string, versions: readonly number[]): void {
    const meta = this.keys.get(path);
    if (!meta) return;
    const now = this.now();
    for (const v of versions) {
      const entry = meta.versions.get(v);
      if (entry && entry.deletionTime === undefined && !entry.destroyed) entry.deletionTime = now;
    }
  }

  undelete(path: string, versions: readonly number[]): void {
    const meta = this.keys.get(path);
    if (!meta) return;
    for (const v of versions) {
      const entry = meta.versions.get(v);
      if (entry && !entry.destroyed) entry.deletionTime = undefined;
    }
  }

  destroy(path: string, versions: readonly number[]): void {
    const meta = this.keys.get(path);
    if (!meta) return;
    for (const v of versions) {
      const entry = meta.versions.get(v);
      if (entry) {
        entry.destroyed = true;
        entry.data = undefined;
      }
    }
  }

  /** Direct children of the folder `prefix` (ending in `/` or empty): keys, and folders with a trailing `/`. */
  list(prefix: string): string[] {
    const out = new Set<string>();
    for (const key of this.keys.keys()) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf('/');
      out.add(slash === -1 ? rest : rest.slice(0, slash + 1));
    }
    return [...out].sort();
  }
}
