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

const isAppWide = (key) => APP_WIDE.some((prefix) => key.startsWith(prefix));

/**
 * A store that keeps app-wide records in `app` and everything else in `user`. `onLock`, when
 * given, hears of every lock taken through it, as `onLock(tag, isApp, key, take)` (the bench's
 * instrumentation; `tag` tells the sessions apart). A class, as a gateway holding one per user
 * would write it: its methods are shared, each instance holds its two stores and its tag.
 */
class SharedRegistrations {
  specificationVersion = 'v1';
  constructor(user, app, onLock, tag) {
    this.user = user;
    this.app = app;
    this.onLock = onLock;
    this.tag = tag;
  }
  get description() {
    return `${this.user.description}, registrations in ${this.app.description}`;
  }
  route(key) {
    return isAppWide(key) ? this.app : this.user;
  }
  get(key) {
    return this.route(key).get(key);
  }
  set(key, record) {
    return this.route(key).set(key, record);
  }
  delete(key) {
    return this.route(key).delete(key);
  }
  async list(prefix = '') {
    const own = await this.user.list(prefix);
    const shared = await this.app.list(prefix);
    return [...own.filter((k) => !isAppWide(k)), ...shared.filter((k) => isAppWide(k))];
  }
  lock(key, options) {
    const store = this.route(key);
    if (!this.onLock) return store.lock(key, options);
    return this.onLock(this.tag, store === this.app, key, () => store.lock(key, options));
  }
}

export function sharedRegistrations(user, app, onLock, tag) {
  return new SharedRegistrations(user, app, onLock, tag);
}
