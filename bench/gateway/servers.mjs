// The servers of bench/gateway.mjs, in their own process so that their work is not counted
// in the gateway's heap or event loop: a private redis-server, the test authorization server
// (oidc-provider, refresh-token rotation on, short-lived JWT access tokens) and a cheap
// protected endpoint (node:http + the test servers' jose verifier, RFC 9728 metadata).
// Driven over IPC by bench/gateway.mjs; not a command of its own.
import { createServer } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';

const load = (path) =>
  import(pathToFileURL(fileURLToPath(new URL(`../../${path}`, import.meta.url))).href);
const { startAuthorizationServer, createJwtVerifier } = await load(
  'packages/testing/dist/index.js',
);
const { startRedisServer } = await load('test/redis-server/dist/index.js');

const ttlSeconds = Number(process.env.GATEWAY_TTL_SECONDS ?? 10);

/**
 * oidc-provider's development adapter is an LRU of 1,000 entries: past a thousand users it
 * evicts registrations, grants and refresh tokens (refreshes then fail with invalid_grant).
 * A gateway's authorization server keeps them: this adapter is a plain Map that honours
 * expiry, and the indexes oidc-provider's adapter contract asks for.
 */
const storage = new Map();
const grants = new Map();
const byIndex = new Map();
class MapAdapter {
  constructor(model) {
    this.model = model;
  }
  key(id) {
    return `${this.model}:${id}`;
  }
  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : Infinity;
    storage.set(key, { payload, expiresAt });
    if (payload.grantId) {
      const members = grants.get(payload.grantId) ?? new Set();
      grants.set(payload.grantId, members);
      members.add(key);
    }
    if (payload.userCode) byIndex.set(`userCode:${payload.userCode}`, id);
    if (payload.uid) byIndex.set(`uid:${payload.uid}`, id);
  }
  async find(id) {
    const entry = storage.get(this.key(id));
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      storage.delete(this.key(id));
      return undefined;
    }
    return entry.payload;
  }
  async findByUserCode(userCode) {
    const id = byIndex.get(`userCode:${userCode}`);
    return id === undefined ? undefined : this.find(id);
  }
  async findByUid(uid) {
    const id = byIndex.get(`uid:${uid}`);
    return id === undefined ? undefined : this.find(id);
  }
  async consume(id) {
    const entry = storage.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id) {
    storage.delete(this.key(id));
  }
  async revokeByGrantId(grantId) {
    for (const key of grants.get(grantId) ?? []) storage.delete(key);
    grants.delete(grantId);
  }
}
const redis = await startRedisServer();
const as = await startAuthorizationServer({
  accessTokenTtlSeconds: ttlSeconds,
  refreshTokenRotation: true,
  dpop: false,
  configure: (configuration) => {
    configuration.adapter = MapAdapter;
  },
});
const { provider } = as;

// Each refresh token stands for one access token's expiry (rotation issues a new one per
// refresh): refreshes per expiry = refresh_token requests / distinct refresh tokens presented.
// A second refresh of the same expiry presents the same refresh token again.
const presented = new Set();
let refreshRequests = 0;
const onGrant = (ctx) => {
  const params = ctx.oidc?.params;
  if (params?.grant_type !== 'refresh_token') return;
  refreshRequests += 1;
  presented.add(String(params.refresh_token));
};
provider.on('grant.success', onGrant);
provider.on('grant.error', onGrant);

// The protected endpoint: GET /api answers 200 with a small JSON body to a valid token of
// this resource, 401 with a Bearer challenge otherwise (RFC 6750, RFC 9728 resource_metadata).
const endpoint = { ok: 0, unauthorized: 0 };
let apiUrl = '';
let metadataUrl = '';
let verifier;
const api = createServer(async (req, res) => {
  if (req.url === '/.well-known/oauth-protected-resource/api') {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        resource: apiUrl,
        authorization_servers: [as.issuer],
        scopes_supported: ['mcp:read'],
        bearer_methods_supported: ['header'],
      }),
    );
    return;
  }
  const auth = req.headers.authorization ?? '';
  let valid = false;
  if (auth.startsWith('Bearer ')) {
    try {
      await verifier.verifyAccessToken(auth.slice(7));
      valid = true;
    } catch {}
  }
  if (!valid) {
    endpoint.unauthorized += 1;
    res.statusCode = 401;
    res.setHeader(
      'www-authenticate',
      `Bearer ${auth ? 'error="invalid_token", ' : ''}resource_metadata="${metadataUrl}", scope="mcp:read"`,
    );
    res.end();
    return;
  }
  endpoint.ok += 1;
  res.setHeader('content-type', 'application/json');
  res.end('{"ok":true}');
});
api.keepAliveTimeout = 60_000;
await new Promise((resolve) => api.listen(0, '127.0.0.1', resolve));
const { port } = api.address();
apiUrl = `http://127.0.0.1:${port}/api`;
metadataUrl = `http://127.0.0.1:${port}/.well-known/oauth-protected-resource/api`;
verifier = createJwtVerifier(as, apiUrl);

/**
 * Refresh-token seeding: each user gets a grant and a refresh token minted by oidc-provider's
 * own models (what its authorization_code grant saves), for the client the bench registered
 * through a real login. The gateway then obtains every access token with a real
 * refresh_token grant.
 */
async function seed({ clientId, resource, scope, users }) {
  const client = await provider.Client.find(clientId);
  if (!client) throw new Error(`client ${clientId} unknown to the authorization server`);
  const now = Math.floor(Date.now() / 1000);
  const tokens = [];
  for (const accountId of users) {
    const grant = new provider.Grant({ accountId, clientId });
    grant.addOIDCScope('offline_access');
    grant.addResourceScope(resource, scope);
    const grantId = await grant.save();
    const refreshToken = new provider.RefreshToken({
      accountId,
      client,
      grantId,
      gty: 'authorization_code',
      resource,
      scope: `offline_access ${scope}`,
      authTime: now,
      iiat: now,
      rotations: 0,
      expiresWithSession: false,
    });
    tokens.push(await refreshToken.save());
  }
  return tokens;
}

const stats = () => ({
  refreshSuccess: as.stats.refreshSuccess,
  invalidGrant: as.stats.invalidGrant,
  tokenRequests: { ...as.stats.tokenRequests },
  tokenErrors: { ...as.stats.tokenErrors },
  authorizations: as.stats.authorizations,
  registrations: as.stats.registrations,
  endpoint: { ...endpoint },
  refreshRequests,
  distinctRefreshTokens: presented.size,
});

// The parent gone (or stopping us): leave no redis-server behind.
let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await redis.close().catch(() => {});
  process.exit(0);
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);

process.on('message', async (message) => {
  try {
    if (message.type === 'seed') {
      process.send({ id: message.id, result: await seed(message) });
    } else if (message.type === 'stats') {
      process.send({ id: message.id, result: stats() });
    } else if (message.type === 'close') {
      api.closeAllConnections();
      await new Promise((resolve) => api.close(resolve));
      await as.close();
      process.send({ id: message.id, result: true });
      await stop();
    }
  } catch (error) {
    process.send({ id: message.id, error: String(error?.stack ?? error) });
  }
});
process.send({ type: 'ready', redisUrl: redis.url, issuer: as.issuer, apiUrl, ttlSeconds });
