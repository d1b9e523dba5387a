import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatch } from './dispatch.ts';
import { KvEngine } from './kv-engine.ts';
import { answerListVerb } from './list-verb.ts';
import type { PolicyRules } from './policy.ts';
import type {
  AppRoleConfig,
  KubernetesRoleConfig,
  ServerState,
  VaultServerStats,
} from './state.ts';
import { type CreateTokenOptions, TokenStoreState } from './tokens.ts';

export interface TokenSeed extends CreateTokenOptions {
  policies: string[];
}

export interface VaultServerOptions {
  /** Default 0 (any free port). Always binds 127.0.0.1. */
  port?: number;
  /** Where the KV version 2 engine is mounted. Default `secret`. */
  mount?: string;
  rootToken?: string;
  /** Extra tokens to create at start. */
  tokens?: TokenSeed[];
  /** Named ACL policies (`root` is built in; `kv-admin` defaults to full access to the mount). */
  policies?: Record<string, PolicyRules>;
  sealed?: boolean;
  /** Namespaces that exist (without slashes). Default: any `X-Vault-Namespace` is accepted. */
  namespaces?: string[];
  approle?: Partial<Omit<AppRoleConfig, 'roleName'>>;
  kubernetes?: Partial<KubernetesRoleConfig>;
  /** Clock (epoch ms), for token expiry. */
  now?: () => number;
}

export interface VaultServer {
  readonly url: string;
  readonly rootToken: string;
  readonly stats: VaultServerStats;
  readonly approle: { readonly roleId: string; readonly secretId: string };
  readonly kubernetes: { readonly role: string; readonly jwt: string };
  /** Creates a token with these policies and TTL in seconds (0: no expiry). */
  createToken(
    policies: string | string[],
    ttl?: number,
    options?: Omit<CreateTokenOptions, 'ttl'>,
  ): string;
  revokeToken(token: string): void;
  setPolicy(name: string, rules: PolicyRules): void;
  /** Changes the token settings of the AppRole role (ttl, max ttl, renewable, policies). */
  configureAppRole(config: Partial<Omit<AppRoleConfig, 'roleName' | 'roleId' | 'secretId'>>): void;
  configureKubernetes(config: Partial<Omit<KubernetesRoleConfig, 'role' | 'jwt'>>): void;
  seal(): void;
  unseal(): void;
  close(): Promise<void>;
}

const MAX_BODY = 32 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  if (body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json');
  res.end(`${JSON.stringify(body)}\n`);
}

/** Starts a Vault KV v2 test server on 127.0.0.1. See the package README for what it reproduces. */
export async function startVaultServer(options: VaultServerOptions = {}): Promise<VaultServer> {
  const now = options.now ?? Date.now;
  const mount = (options.mount ?? 'secret').replace(/^\/+|\/+$/g, '');
  const tokens = new TokenStoreState(now);
  const root = tokens.create(['root'], {
    id: options.rootToken ?? `hvs.${randomBytes(18).toString('base64url')}`,
    path: 'auth/token/root',
    displayName: 'root',
  });
  for (const seed of options.tokens ?? []) tokens.create(seed.policies, seed);

  const policies = new Map<string, PolicyRules>([
    [
      'kv-admin',
      {
        [`${mount}/*`]: ['create', 'read', 'update', 'delete', 'list'],
        [`+/${mount}/*`]: ['create', 'read', 'update', 'delete', 'list'],
      },
    ],
  ]);
  for (const [name, rules] of Object.entries(options.policies ?? {})) policies.set(name, rules);

  const engines = new Map<string, KvEngine>();
  const loginDefaults = { policies: ['kv-admin'], tokenTtl: 3600, tokenMaxTtl: 0, renewable: true };
  const state: ServerState = {
    now,
    sealed: options.sealed ?? false,
    mount,
    tokens,
    policies,
    namespaces: options.namespaces
      ? new Set(['', ...options.namespaces.map((n) => `${n.replace(/^\/+|\/+$/g, '')}/`)])
      : undefined,
    engines,
    engineFor(namespace) {
      let engine = engines.get(namespace);
      if (!engine) {
        engine = new KvEngine(now);
        engines.set(namespace, engine);
      }
      return engine;
    },
    approle: {
      ...loginDefaults,
      roleName: 'mcp-oauth',
      roleId: randomUUID(),
      secretId: randomUUID(),
      ...options.approle,
    },
    kubernetes: {
      ...loginDefaults,
      role: 'mcp-oauth',
      jwt: `eyJhbGciOiJSUzI1NiJ9.${randomBytes(24).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
      ...options.kubernetes,
    },
    stats: {
      requests: 0,
      byStatus: {},
      writes: 0,
      casConflicts: 0,
      denied: 0,
      sealedRejections: 0,
      renewals: 0,
      logins: { approle: 0, kubernetes: 0, failed: 0 },
    },
  };

  const server = createServer(async (req, res) => {
    try {
      const bodyText = await readBody(req);
      if (bodyText === undefined) {
        send(res, 413, { errors: ['http: request body too large'] });
        return;
      }
      const reply = dispatch(state, {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        bodyText,
      });
      send(res, reply.status, reply.body);
    } catch (error) {
      send(res, 500, { errors: [`internal error: ${(error as Error).message}`] });
    }
  });
  server.on('clientError', (error, socket) => {
    if (!answerListVerb(state, error, socket as import('node:net').Socket)) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    rootToken: root.id,
    stats: state.stats,
    get approle() {
      return { roleId: state.approle.roleId, secretId: state.approle.secretId };
    },
    get kubernetes() {
      return { role: state.kubernetes.role, jwt: state.kubernetes.jwt };
    },
    createToken(policyNames, ttl = 0, tokenOptions = {}) {
      const list = typeof policyNames === 'string' ? [policyNames] : policyNames;
      return tokens.create(list, { ...tokenOptions, ttl }).id;
    },
    revokeToken(token) {
      tokens.revoke(token);
    },
    setPolicy(name, rules) {
      policies.set(name, rules);
    },
    configureAppRole(config) {
      state.approle = { ...state.approle, ...config };
    },
    configureKubernetes(config) {
      state.kubernetes = { ...state.kubernetes, ...config };
    },
    seal() {
      state.sealed = true;
    },
    unseal() {
      state.sealed = false;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
