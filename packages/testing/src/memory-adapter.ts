import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * oidc-provider's storage for one server: in memory, unbounded, entries expiring with their
 * token. oidc-provider's own memory adapter is a 1,000-entry LRU (a test with many users or
 * tokens would see grants evicted) and prints a warning at every start; this one does neither.
 * The logic follows oidc-provider's `lib/adapters/memory_adapter.js` (MIT): every grantable
 * token is indexed under its grant so that `revokeByGrantId` finds it, and sessions and device
 * codes are indexed by `uid` and `userCode`.
 */
export function memoryAdapterFactory(clockToleranceSeconds = 0): (model: string) => Adapter {
  const store = new Map<string, { value: unknown; expiresAt: number }>();
  const get = <T>(key: string): T | undefined => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.value as T;
  };
  const set = (key: string, value: unknown, expiresAt = Number.POSITIVE_INFINITY) => {
    store.set(key, { value, expiresAt });
  };
  const expiryOf = (expiresIn: number | undefined) =>
    typeof expiresIn === 'number'
      ? Date.now() + (expiresIn + clockToleranceSeconds) * 1000
      : Number.POSITIVE_INFINITY;

  const grantKey = (grantId: string) => `grant:${grantId}`;
  const uidKey = (uid: string) => `sessionUid:${uid}`;
  const userCodeKey = (userCode: string) => `userCode:${userCode}`;
  const grantable = new Set([
    'AccessToken',
    'AuthorizationCode',
    'RefreshToken',
    'DeviceCode',
    'BackchannelAuthenticationRequest',
    'PreAuthorizedCode',
  ]);

  /** The keys of a grant's tokens, with when each expires. */
  const members = (grantId: string) => get<Map<string, number>>(grantKey(grantId)) ?? new Map();
  const saveMembers = (grantId: string, keys: Map<string, number>) => {
    const now = Date.now();
    for (const [key, expiresAt] of keys) if (expiresAt <= now) keys.delete(key);
    if (keys.size === 0) store.delete(grantKey(grantId));
    else set(grantKey(grantId), keys, Math.max(...keys.values()));
  };
  const removeSecondary = (id: string, payload: AdapterPayload) => {
    if (payload.uid && get(uidKey(payload.uid)) === id) store.delete(uidKey(payload.uid));
    if (payload.userCode && get(userCodeKey(payload.userCode)) === id)
      store.delete(userCodeKey(payload.userCode));
  };

  return (model) => {
    const keyOf = (id: string) => `${model}:${id}`;
    const removeIndexes = (id: string, key: string, payload: AdapterPayload) => {
      removeSecondary(id, payload);
      if (grantable.has(model) && payload.grantId) {
        const keys = members(payload.grantId);
        keys.delete(key);
        saveMembers(payload.grantId, keys);
      }
    };
    const find = async (id: string) => get<AdapterPayload>(keyOf(id));
    return {
      async upsert(id, payload, expiresIn) {
        const key = keyOf(id);
        const expiresAt = expiryOf(expiresIn);
        const previous = get<AdapterPayload>(key);
        if (previous) removeIndexes(id, key, previous);
        if (model === 'Session' && payload.uid) set(uidKey(payload.uid), id, expiresAt);
        if (grantable.has(model) && payload.grantId) {
          const keys = members(payload.grantId);
          keys.set(key, expiresAt);
          saveMembers(payload.grantId, keys);
        }
        if (payload.userCode) set(userCodeKey(payload.userCode), id, expiresAt);
        set(key, payload, expiresAt);
      },
      find,
      async findByUid(uid) {
        const id = get<string>(uidKey(uid));
        return id === undefined ? undefined : find(id);
      },
      async findByUserCode(userCode) {
        const id = get<string>(userCodeKey(userCode));
        return id === undefined ? undefined : find(id);
      },
      async consume(id) {
        const payload = get<AdapterPayload>(keyOf(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        const key = keyOf(id);
        const payload = get<AdapterPayload>(key);
        store.delete(key);
        if (payload) removeIndexes(id, key, payload);
      },
      async revokeByGrantId(grantId) {
        for (const key of members(grantId).keys()) {
          const payload = get<AdapterPayload>(key);
          store.delete(key);
          if (payload) removeSecondary(payload.jti ?? key.slice(key.indexOf(':') + 1), payload);
        }
        store.delete(grantKey(grantId));
      },
    };
  };
}
