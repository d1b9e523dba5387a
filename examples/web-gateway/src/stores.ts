import { createHash } from 'node:crypto';
import type { TokenStore } from '@mcp-oauth/core';
import { fileStore } from '@mcp-oauth/store-file';
import { redisStore } from '@mcp-oauth/store-redis';
import { createClient } from '@redis/client';
import { pendingExpiry } from './pending.ts';

/** Where every gateway process keeps its state: one backend shared by all of them. */
export type StoreBackend =
  | { kind: 'redis'; url: string; encryptionKey: string }
  | { kind: 'file'; directory: string; encryptionKey: string };

/** The namespace of the gateway's own records: pending authorizations, registrations, discovery. */
export const APP_NAMESPACE = 'gateway';

/**
 * A user's namespace: derived from their name, so that every process finds the same one, and
 * hashed, so that any name makes a valid namespace and no name can reach another's.
 */
export function userNamespace(user: string): string {
  return `user-${createHash('sha256').update(user, 'utf8').digest('hex').slice(0, 40)}`;
}

export interface GatewayStores {
  /** The gateway's own namespace. */
  readonly app: TokenStore;
  /** What core sees for one user: their tokens, with registrations shared by the whole app. */
  forUser(user: string): TokenStore;
  /** The user's own namespace, for the gateway's records about them (their connections). */
  userOnly(user: string): TokenStore;
  close(): Promise<void>;
}

/** Opens the backend once; namespaces share its connection. */
export async function openStores(backend: StoreBackend): Promise<GatewayStores> {
  const open = await namespaceOpener(backend);
  const cache = new Map<string, TokenStore>();
  const namespace = (name: string): TokenStore => {
    let store = cache.get(name);
    if (!store) {
      store = open.store(name);
      cache.set(name, store);
    }
    return store;
  };
  const app = namespace(APP_NAMESPACE);
  return {
    app,
    forUser: (user) => sharedRegistrations(namespace(userNamespace(user)), app),
    userOnly: (user) => namespace(userNamespace(user)),
    async close() {
      for (const store of cache.values()) await store.close?.();
      await open.close();
    },
  };
}

async function namespaceOpener(backend: StoreBackend): Promise<{
  store(namespace: string): TokenStore;
  close(): Promise<void>;
}> {
  if (backend.kind === 'file') {
    const key = Buffer.from(backend.encryptionKey, 'base64');
    return {
      store: (namespace) =>
        fileStore({ directory: backend.directory, namespace, keySource: { kind: 'key', key } }),
      close: async () => {},
    };
  }
  // one connection for every namespace; the stores never close a client they were given
  const client = createClient({ url: backend.url });
  await client.connect();
  return {
    store: (namespace) =>
      redisStore({
        client,
        namespace,
        encryptionKey: backend.encryptionKey,
        // abandoned authorizations leave Redis by themselves (user namespaces keep the default)
        ...(namespace === APP_NAMESPACE ? { recordExpiry: pendingExpiry } : {}),
      }),
    close: async () => {
      if (client.isOpen) await client.close();
    },
  };
}

/**
 * Records that belong to the application rather than to a user: a client registration is bound
 * to an authorization server's issuer (one per issuer for the whole gateway, RFC 7591), and
 * discovery results are public metadata. Tokens (and DPoP keys) stay in the user's namespace.
 */
const APP_WIDE = ['client:', 'discovery:', 'binding:'];

/** A store that keeps app-wide records in `app` and everything else in `user`. */
export function sharedRegistrations(user: TokenStore, app: TokenStore): TokenStore {
  const route = (key: string) => (APP_WIDE.some((prefix) => key.startsWith(prefix)) ? app : user);
  return {
    specificationVersion: 'v1',
    description: `${user.description}, registrations in ${app.description}`,
    get: (key) => route(key).get(key),
    set: (key, record) => route(key).set(key, record),
    delete: (key) => route(key).delete(key),
    async list(prefix = '') {
      const own = await user.list(prefix);
      const shared = await app.list(prefix);
      return [...own.filter((k) => route(k) === user), ...shared.filter((k) => route(k) === app)];
    },
    lock: (key, options) => route(key).lock(key, options),
  };
}
