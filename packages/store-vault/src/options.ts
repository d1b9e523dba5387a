import { McpOAuthError } from '@mcp-oauth/core/store';

/**
 * How the store authenticates to Vault: a token, AppRole, or a Kubernetes service account.
 *
 * @example
 * ```ts
 * import { vaultStore } from '@mcp-oauth/store-vault';
 *
 * const store = vaultStore({
 *   address: 'https://vault.internal:8200',
 *   auth: { kubernetes: { role: 'mcp-gateway' } },
 * });
 * ```
 */
export type VaultAuth =
  | {
      /** A Vault token, renewed by the store while it is renewable. */
      token: string;
    }
  | {
      /** AppRole login (`auth/<mount>/login`). */
      approle: {
        /** The AppRole's role ID. */
        roleId: string;
        /** A secret ID of that role. */
        secretId: string;
        /** Auth mount, default `approle`. */
        mount?: string;
      };
    }
  | {
      /** Kubernetes login with the pod's service account token. */
      kubernetes: {
        /** The Vault role bound to the service account. */
        role: string;
        /** The service account JWT; or `jwtPath` to read it at each login. */
        jwt?: string;
        /** Default `/var/run/secrets/kubernetes.io/serviceaccount/token`. */
        jwtPath?: string;
        /** Auth mount, default `kubernetes`. */
        mount?: string;
      };
    };

/**
 * Options of `vaultStore`. Every one is optional; the `VAULT_*` variables fill the defaults.
 *
 * @example
 * ```ts
 * import { type VaultStoreOptions, vaultStore } from '@mcp-oauth/store-vault';
 *
 * const options: VaultStoreOptions = {
 *   address: 'https://vault.internal:8200',
 *   mount: 'kv',
 *   namespace: 'tenant-42',
 *   auth: { approle: { roleId: 'role-id', secretId: process.env.VAULT_SECRET_ID ?? '' } },
 * };
 * const store = vaultStore(options);
 * ```
 */
export interface VaultStoreOptions {
  /** Vault's address. Default `VAULT_ADDR`, else `http://127.0.0.1:8200`. */
  address?: string;
  /** Vault Enterprise namespace, sent as `X-Vault-Namespace`. Default `VAULT_NAMESPACE`. */
  vaultNamespace?: string;
  /** Where the KV version 2 engine is mounted. Default `secret`. */
  mount?: string;
  /** Folder inside the mount. Default `mcp-oauth`. */
  pathPrefix?: string;
  /** This store's namespace (tenant), one path segment. Default `default`. */
  namespace?: string;
  /** How to log in to Vault. Default `{ token: VAULT_TOKEN }`. */
  auth?: VaultAuth;
  /** `delete()` soft-deletes the latest version instead of removing every version. Default false. */
  keepHistory?: boolean;
  /** Per-request timeout, in ms. Default 10000. */
  requestTimeoutMs?: number;
  /**
   * Repeats of requests that failed with 5xx, 429 or a network error. `attempts` counts
   * every request (1: no retry); the delay doubles from `minDelayMs` up to `maxDelayMs`,
   * with jitter. Default `{ attempts: 4, minDelayMs: 100, maxDelayMs: 5000 }`.
   */
  retry?: Partial<VaultRetryOptions>;
  /** Check-and-set attempts of one `set` before `store_conflict`. Default 200. */
  casAttempts?: number;
  /** Renew the Vault token when this fraction of its lease has elapsed. Default 2/3. */
  renewFraction?: number;
}

export interface ResolvedOptions {
  readonly address: string;
  readonly vaultNamespace: string | undefined;
  readonly mount: string;
  readonly pathPrefix: string;
  readonly namespace: string;
  readonly auth: VaultAuth | undefined;
  readonly keepHistory: boolean;
  readonly requestTimeoutMs: number;
  readonly retry: VaultRetryOptions;
  readonly casAttempts: number;
  readonly renewFraction: number;
}

/**
 * Retries of Vault requests, under the names core and transport-fetch use too.
 *
 * @example
 * ```ts
 * import { vaultStore } from '@mcp-oauth/store-vault';
 *
 * const store = vaultStore({ retry: { attempts: 6, maxDelayMs: 10_000 } });
 * ```
 */
export interface VaultRetryOptions {
  /** Requests made in all, the first included. 1 turns retrying off. Default 4. */
  attempts: number;
  /** Delay before the second request, before jitter, in ms. Default 100. */
  minDelayMs: number;
  /** No delay exceeds this, in ms. Default 5000. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: VaultRetryOptions = { attempts: 4, minDelayMs: 100, maxDelayMs: 5_000 };

function resolveRetry(retry: Partial<VaultRetryOptions> = {}): VaultRetryOptions {
  const resolved = { ...DEFAULT_RETRY, ...retry };
  const { attempts, minDelayMs, maxDelayMs } = resolved;
  const bad = !(Number.isInteger(attempts) && attempts >= 1)
    ? 'attempts'
    : !(Number.isFinite(minDelayMs) && minDelayMs >= 0)
      ? 'minDelayMs'
      : !(Number.isFinite(maxDelayMs) && maxDelayMs >= minDelayMs)
        ? 'maxDelayMs'
        : undefined;
  if (bad) {
    throw new McpOAuthError(
      'invalid_configuration',
      `vaultStore: \`retry.${bad}\` must be ${bad === 'attempts' ? 'a whole number of requests, at least 1' : bad === 'minDelayMs' ? 'a number of milliseconds, at least 0' : 'a number of milliseconds, at least retry.minDelayMs'}.`,
      { details: { option: `retry.${bad}` } },
    );
  }
  return resolved;
}

const trimSlashes = (s: string) => s.replace(/^\/+|\/+$/g, '');

export function resolveOptions(
  options: VaultStoreOptions,
  env: NodeJS.ProcessEnv,
): ResolvedOptions {
  const envToken = env.VAULT_TOKEN;
  return {
    address: (options.address ?? env.VAULT_ADDR ?? 'http://127.0.0.1:8200').replace(/\/+$/, ''),
    vaultNamespace: options.vaultNamespace ?? (env.VAULT_NAMESPACE || undefined),
    mount: trimSlashes(options.mount ?? 'secret'),
    pathPrefix: trimSlashes(options.pathPrefix ?? 'mcp-oauth'),
    namespace: options.namespace ?? 'default',
    auth: options.auth ?? (envToken ? { token: envToken } : undefined),
    keepHistory: options.keepHistory ?? false,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    retry: resolveRetry(options.retry),
    casAttempts: options.casAttempts ?? 200,
    renewFraction: options.renewFraction ?? 2 / 3,
  };
}
