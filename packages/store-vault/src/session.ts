import { readFile } from 'node:fs/promises';
import { McpOAuthError } from '@mcp-oauth/core/store';
import nodeVault from 'node-vault';
import type { ResolvedOptions, VaultAuth } from './options.ts';
import { RequestFailed, withRetry } from './retry.ts';
import { type Failure, storeError, unavailableError } from './vault-error.ts';

export type VaultClient = ReturnType<typeof nodeVault>;

const DEFAULT_JWT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

interface AuthBlock {
  client_token?: unknown;
  lease_duration?: unknown;
  renewable?: unknown;
}

function createClient(options: ResolvedOptions, token: string): VaultClient {
  const client = nodeVault({
    endpoint: options.address,
    noCustomHTTPVerbs: true,
    requestOptions: { timeout: options.requestTimeoutMs },
  });
  // node-vault falls back to VAULT_TOKEN / VAULT_NAMESPACE / VAULT_PREFIX: set ours explicitly.
  client.token = token;
  const c = client as unknown as { namespace: string | undefined; pathPrefix: string };
  c.namespace = options.vaultNamespace;
  c.pathPrefix = '';
  return client;
}

/**
 * The store's identity at Vault: the client token, obtained from the options or by
 * logging in (AppRole, Kubernetes), renewed with `renew-self` before its lease ends,
 * and replaced by a new login when renewal is refused or the token is gone.
 */
export class VaultSession {
  readonly client: VaultClient;
  readonly #login: VaultClient;
  readonly #auth: VaultAuth;
  #started = false;
  #renewAt: number | undefined;
  #renewable = false;
  #pending: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(private readonly options: ResolvedOptions) {
    if (!options.auth) {
      throw new McpOAuthError(
        'invalid_configuration',
        'The Vault store needs credentials: set VAULT_TOKEN, or pass auth: { token }, { approle } or { kubernetes }.',
      );
    }
    this.#auth = options.auth;
    this.client = createClient(options, 'token' in options.auth ? options.auth.token : '');
    this.#login = createClient(options, '');
  }

  get canLogin(): boolean {
    return !('token' in this.#auth);
  }

  /** Resolves once the client holds a token that is not due for renewal. */
  ready(): Promise<void> {
    if (!this.#started) return this.#single(() => this.#start());
    if (this.#renewAt !== undefined && Date.now() >= this.#renewAt)
      return this.#single(() => this.#renew());
    return Promise.resolve();
  }

  /**
   * Called after a 403: returns true when a fresh login may cure it (retry the call),
   * false when the token is valid (a real policy denial); throws `store_auth_failed`
   * when the token itself is rejected and cannot be replaced.
   */
  async recover(): Promise<boolean> {
    if (this.canLogin) {
      await this.#single(() => this.#doLogin());
      return true;
    }
    try {
      await withRetry(this.options.retry, () => this.client.read('auth/token/lookup-self'));
      return false;
    } catch (error) {
      throw this.#tokenRejected(error);
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  #single(task: () => Promise<void>): Promise<void> {
    if (!this.#pending) {
      this.#pending = task().finally(() => {
        this.#pending = undefined;
      });
    }
    return this.#pending;
  }

  async #start(): Promise<void> {
    if (this.canLogin) {
      await this.#doLogin();
    } else {
      try {
        const res = (await withRetry(this.options.retry, () =>
          this.client.read('auth/token/lookup-self'),
        )) as {
          data?: { ttl?: unknown; renewable?: unknown };
        };
        this.#schedule(Number(res.data?.ttl ?? 0), res.data?.renewable === true);
      } catch (error) {
        throw this.#tokenRejected(error);
      }
    }
    this.#started = true;
  }

  async #renew(): Promise<void> {
    if (this.#renewable) {
      try {
        const res = (await withRetry(this.options.retry, () =>
          this.client.write('auth/token/renew-self', {}),
        )) as {
          auth?: AuthBlock;
        };
        const lease = Number(res.auth?.lease_duration ?? 0);
        // A lease capped near its max TTL is not worth keeping when we can log in again.
        if (lease > 1 || !this.canLogin) {
          this.#schedule(lease, res.auth?.renewable === true);
          return;
        }
      } catch (error) {
        if (!this.canLogin) {
          // Keep the token until it expires; requests will say so if it is rejected.
          this.#schedule(0, false);
          if (
            error instanceof RequestFailed &&
            error.failure.kind === 'http' &&
            error.failure.status === 403
          ) {
            throw this.#tokenRejected(error);
          }
          return;
        }
      }
    }
    if (this.canLogin) await this.#doLogin();
    else this.#schedule(0, false);
  }

  async #doLogin(): Promise<void> {
    const auth = this.#auth;
    let path: string;
    let body: Record<string, string>;
    let method: string;
    if ('approle' in auth) {
      method = 'AppRole';
      path = `auth/${auth.approle.mount ?? 'approle'}/login`;
      body = { role_id: auth.approle.roleId, secret_id: auth.approle.secretId };
    } else if ('kubernetes' in auth) {
      method = 'Kubernetes';
      path = `auth/${auth.kubernetes.mount ?? 'kubernetes'}/login`;
      const jwt =
        auth.kubernetes.jwt ?? (await this.#readJwt(auth.kubernetes.jwtPath ?? DEFAULT_JWT_PATH));
      body = { role: auth.kubernetes.role, jwt };
    } else {
      return;
    }
    let res: { auth?: AuthBlock };
    try {
      res = (await withRetry(this.options.retry, () => this.#login.write(path, body))) as {
        auth?: AuthBlock;
      };
    } catch (error) {
      if (!(error instanceof RequestFailed)) throw error;
      const f = error.failure;
      if (f.kind === 'http' && (f.status === 400 || f.status === 403 || f.status === 401)) {
        throw storeError(
          'store_auth_failed',
          `Vault at ${this.options.address} rejected the ${method} login on ${path} (${f.status}${f.errors[0] ? `: ${f.errors[0]}` : ''}). Check the ${method === 'AppRole' ? 'role id and secret id' : 'role and service account token'} the store was given.`,
          f,
          { address: this.options.address, path, method },
        );
      }
      throw unavailableError(f, this.options.address, path);
    }
    const token = res.auth?.client_token;
    if (typeof token !== 'string' || token === '') {
      throw storeError(
        'store_auth_failed',
        `Vault's ${method} login answer on ${path} holds no client token.`,
        undefined,
        {
          address: this.options.address,
          path,
        },
      );
    }
    this.client.token = token;
    this.#started = true;
    this.#schedule(Number(res.auth?.lease_duration ?? 0), res.auth?.renewable === true);
  }

  async #readJwt(path: string): Promise<string> {
    try {
      return (await readFile(path, 'utf8')).trim();
    } catch (error) {
      throw new McpOAuthError(
        'invalid_configuration',
        `Could not read the Kubernetes service account token at ${path}: pass kubernetes.jwt or a readable jwtPath.`,
        { cause: error, details: { path } },
      );
    }
  }

  /** Plans the next renewal at `renewFraction` of a lease of `leaseSeconds` (0: never expires). */
  #schedule(leaseSeconds: number, renewable: boolean): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#renewable = renewable;
    if (!(leaseSeconds > 0)) {
      this.#renewAt = undefined;
      return;
    }
    const delay = leaseSeconds * 1000 * this.options.renewFraction;
    this.#renewAt = Date.now() + delay;
    if (this.#closed) return;
    // Renew in the background too, so an idle process keeps its token alive.
    this.#timer = setTimeout(() => {
      this.ready().catch(() => {
        /* the next request reports it */
      });
    }, delay + 5);
    this.#timer.unref?.();
  }

  #tokenRejected(error: unknown): McpOAuthError {
    if (!(error instanceof RequestFailed)) return error as McpOAuthError;
    const f: Failure = error.failure;
    if (f.kind === 'http' && f.status === 403) {
      return storeError(
        'store_auth_failed',
        `Vault at ${this.options.address} rejected the store's token (403 on auth/token/lookup-self): it is unknown, revoked or expired. Give the store a valid token (VAULT_TOKEN) or use AppRole or Kubernetes login so it can log in again.`,
        f,
        { address: this.options.address, path: 'auth/token/lookup-self' },
      );
    }
    return unavailableError(f, this.options.address, 'auth/token/lookup-self');
  }
}
