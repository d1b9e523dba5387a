import type { McpOAuthError } from '@mcp-oauth/core/store';
import type { ResolvedOptions } from './options.ts';
import { RequestFailed, withRetry } from './retry.ts';
import type { VaultClient, VaultSession } from './session.ts';
import { type Failure, isRetryable, storeError, unavailableError } from './vault-error.ts';

export type ReadResult =
  | { state: 'absent' }
  | { state: 'deleted'; version: number }
  | { state: 'live'; version: number; data: Record<string, unknown> };

export type WriteResult = { ok: true; version: number } | { ok: false; conflict: true };

type Capability = 'create' | 'read' | 'update' | 'delete' | 'list';

const CAS_MISMATCH = 'check-and-set parameter did not match the current version';

/**
 * KV version 2 operations on paths relative to the mount, with retries, re-login on
 * 403, and typed errors. `rel` is e.g. `mcp-oauth/default/dG9rZW5z`.
 */
export class KvClient {
  constructor(
    private readonly options: ResolvedOptions,
    private readonly session: VaultSession,
  ) {}

  path(kind: 'data' | 'metadata' | 'delete', rel: string): string {
    return `${this.options.mount}/${kind}/${rel}`;
  }

  async read(rel: string): Promise<ReadResult> {
    const path = this.path('data', rel);
    const res = await this.#exec(path, 'read', (c) => c.read(path));
    if (res.ok) {
      const body = res.value as { data?: { data?: unknown; metadata?: { version?: unknown } } };
      const data = body.data?.data;
      const version = Number(body.data?.metadata?.version);
      if (typeof data === 'object' && data !== null && Number.isInteger(version)) {
        return { state: 'live', version, data: data as Record<string, unknown> };
      }
      throw storeError(
        'store_corrupt',
        `Vault answered an unexpected shape for ${path}: is the mount "${this.options.mount}" a KV version 2 engine?`,
        undefined,
        { path },
      );
    }
    const f = res.failure;
    if (f.kind === 'http' && f.status === 404) {
      // A deleted or destroyed latest version answers 404 with its metadata.
      const version = Number(
        (f.body as { data?: { metadata?: { version?: unknown } } } | undefined)?.data?.metadata
          ?.version,
      );
      return Number.isInteger(version) && version > 0
        ? { state: 'deleted', version }
        : { state: 'absent' };
    }
    throw this.#unexpected('store_read_failed', f, path);
  }

  async write(rel: string, data: Record<string, unknown>, cas: number): Promise<WriteResult> {
    const path = this.path('data', rel);
    const res = await this.#exec(path, cas === 0 ? 'create' : 'update', (c) =>
      c.write(path, { data, options: { cas } }),
    );
    if (res.ok) {
      const version = Number((res.value as { data?: { version?: unknown } }).data?.version);
      return { ok: true, version };
    }
    const f = res.failure;
    if (f.kind === 'http' && f.status === 400 && f.errors.some((m) => m.includes(CAS_MISMATCH))) {
      return { ok: false, conflict: true };
    }
    throw this.#unexpected('store_write_failed', f, path);
  }

  /** Removes the key and every version (metadata delete). */
  async destroyAll(rel: string): Promise<void> {
    const path = this.path('metadata', rel);
    const res = await this.#exec(path, 'delete', (c) => c.delete(path));
    if (!res.ok) throw this.#unexpected('store_write_failed', res.failure, path);
  }

  /** Soft-deletes exactly these versions (`POST <mount>/delete/<path>`). */
  async deleteVersions(rel: string, versions: number[]): Promise<void> {
    const path = this.path('delete', rel);
    const res = await this.#exec(path, 'update', (c) => c.write(path, { versions }));
    if (!res.ok) throw this.#unexpected('store_write_failed', res.failure, path);
  }

  /** Names directly under the folder `rel` (folders end with `/`); [] when none. */
  async list(rel: string): Promise<string[]> {
    const path = this.path('metadata', rel);
    const res = await this.#exec(path, 'list', (c) => c.list(path));
    if (res.ok) {
      const keys = (res.value as { data?: { keys?: unknown } }).data?.keys;
      return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
    }
    if (res.failure.kind === 'http' && res.failure.status === 404) return [];
    throw this.#unexpected('store_read_failed', res.failure, path);
  }

  async #exec<T>(
    path: string,
    capability: Capability,
    fn: (client: VaultClient) => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; failure: Failure }> {
    let recovered = false;
    for (;;) {
      await this.session.ready();
      try {
        return {
          ok: true,
          value: await withRetry(this.options.retry, () => fn(this.session.client)),
        };
      } catch (error) {
        if (!(error instanceof RequestFailed)) throw error;
        const f = error.failure;
        if (f.kind === 'http' && f.status === 403) {
          if (!recovered && (await this.session.recover())) {
            recovered = true;
            continue;
          }
          throw this.#denied(f, path, capability);
        }
        if (isRetryable(f)) throw unavailableError(f, this.options.address, path);
        return { ok: false, failure: f };
      }
    }
  }

  #denied(f: Failure, path: string, capability: Capability): McpOAuthError {
    const ns = this.options.vaultNamespace
      ? ` in Vault namespace "${this.options.vaultNamespace}"`
      : '';
    const kind = path.slice(this.options.mount.length + 1).split('/')[0];
    const grant = `${this.options.mount}/${kind}/${this.options.pathPrefix}/*`;
    return storeError(
      'store_permission_denied',
      `Vault denied "${capability}" on ${path}${ns} (403 permission denied). Give the store's token a policy granting "${capability}" there, for example path "${grant}" { capabilities = ["create", "read", "update", "delete", "list"] }.`,
      f,
      { address: this.options.address, path, capability },
    );
  }

  #unexpected(
    code: 'store_read_failed' | 'store_write_failed',
    f: Failure,
    path: string,
  ): McpOAuthError {
    if (f.kind === 'network' || f.status >= 500 || f.status === 429)
      return unavailableError(f, this.options.address, path);
    return storeError(
      code,
      `Vault at ${this.options.address} answered ${f.status} for ${path}${f.errors[0] ? `: ${f.errors[0]}` : ''}.`,
      f,
      { address: this.options.address, path },
    );
  }
}
