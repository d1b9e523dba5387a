// How the gateway of bench/gateway.mjs keeps its state, as examples/web-gateway does: one
// node-redis connection; one redisStore per user namespace on it (tenants never see each
// other's records); registrations and discovery, which belong to the application, in the
// app namespace.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = (path) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
export const load = (path) => import(pathToFileURL(root(path)).href);
const requireFromStore = createRequire(root('packages/store-redis/package.json'));
export const { createClient } = requireFromStore('@redis/client');
export const { redisStore } = await load('packages/store-redis/dist/index.js');

export const APP_NAMESPACE = 'gateway';
export const userNamespace = (index) => `u${index}`;
const APP_WIDE = ['client:', 'discovery:', 'binding:'];

/**
 * A store that keeps app-wide records in `app` and everything else in `user`. `onLock`, when
 * given, hears of every lock taken through it (the bench's instrumentation).
 */
export function sharedRegistrations(user, app, onLock) {
  const route = (key) => (APP_WIDE.some((prefix) => key.startsWith(prefix)) ? app : user);
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
    lock: onLock
      ? (key, options) => onLock(route(key) === app, key, () => route(key).lock(key, options))
      : (key, options) => route(key).lock(key, options),
  };
}
