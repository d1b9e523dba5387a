// Gateway benchmark (a command, not a test): one process serving N users' sessions (default
// 10,000; one createOAuthClient per user, all on one shared Redis store), then 3 such
// processes on the same Redis, against one real authorization server (oidc-provider,
// refresh-token rotation, 10-second access tokens) and a cheap protected endpoint.
//   npm run bench gateway            (builds first)     node bench/gateway.mjs [N] [rounds]
// Needs redis-server (scripts/setup-redis.sh) and a build of core, store-redis, packages/testing
// and test/redis-server.
//
// First tokens: a real login (headless consent, dynamic registration) registers the gateway's
// client and caches discovery in the app namespace; then each user gets a grant and a refresh
// token minted by oidc-provider's own models (refresh-token seeding) and a token record whose
// access token has expired, so that every session obtains its access tokens with real
// refresh_token grants. Each round meets one expiry per session (see gateway/worker.mjs).
// "Memory per session beyond the token record": heap after GC once every session has made its
// first requests, per session, less the size of its token record as JSON (the record core holds
// in memory weighs about the same; its access token and the Authorization header share one copy).
// To look for what grows: GATEWAY_PROFILE=<dir> writes a CPU profile of every child process,
// GATEWAY_HEAPSNAPSHOT=<path prefix> a heap snapshot of the first process once its clients are
// created and after each round (compare them to see what a session holds after its requests).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
for (const path of [
  '../packages/core/dist/index.js',
  '../packages/store-redis/dist/index.js',
  '../packages/testing/dist/index.js',
  '../test/redis-server/dist/index.js',
]) {
  if (!existsSync(here(path))) {
    console.error(
      `Build first (missing ${path.slice(3)}): npm run bench gateway builds everything.`,
    );
    process.exit(1);
  }
}
const { APP_NAMESPACE, createClient, load, redisStore, sharedRegistrations, userNamespace } =
  await import('./gateway/stores.mjs');
const { headlessInteraction } = await load('packages/core/dist/flow.js');
const { createOAuthClient } = await load('packages/core/dist/index.js');
const { storeKeys } = await load('packages/core/dist/store.js');

const N = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 2);
const TTL_SECONDS = 10;
const CONCURRENCY = 32; // sessions visited at once by each process
if (!(N >= 1 && ROUNDS >= 1)) {
  console.error('usage: node bench/gateway.mjs [sessions=10000] [rounds=2]');
  process.exit(1);
}

// IPC with a child: request/response by id.
function rpc(child) {
  let next = 0;
  const waiting = new Map();
  child.on('message', (message) => {
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.error) pending.reject(new Error(message.error));
    else pending.resolve(message.result);
  });
  return (type, body = {}) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve, reject });
      child.send({ ...body, type, id });
    });
}
const once = (child, type) =>
  new Promise((resolve, reject) => {
    const on = (message) => {
      if (message.type !== type) return;
      child.off('message', on);
      resolve(message);
    };
    child.on('message', on);
    child.once('exit', (code) => reject(new Error(`${type}: child exited (${code})`)));
  });

// GATEWAY_PROFILE=<dir>: a CPU profile of every child process there (to find what grows).
const profile = process.env.GATEWAY_PROFILE
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.GATEWAY_PROFILE}`]
  : [];
const children = [];
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill();
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
const servers = fork(here('./gateway/servers.mjs'), {
  env: { ...process.env, GATEWAY_TTL_SECONDS: String(TTL_SECONDS) },
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  execArgv: profile,
});
children.push(servers);
const call = rpc(servers);
const { redisUrl, issuer: asIssuer, apiUrl } = await once(servers, 'ready');
const encryptionKey = randomBytes(32).toString('base64');
const redis = createClient({ url: redisUrl });
redis.on('error', () => {});
await redis.connect();
const app = redisStore({ client: redis, namespace: APP_NAMESPACE, encryptionKey });
const storeOf = (namespace) => redisStore({ client: redis, namespace, encryptionKey });

// One real login: registers the gateway's client (DCR) and caches discovery, app-wide.
const login = createOAuthClient({
  serverUrl: apiUrl,
  store: sharedRegistrations(storeOf('login'), app),
  interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
});
await login.authorize();
const discovery = await app.get(storeKeys.discovery((await login.discover()).resource));
const loginKey = storeKeys.tokens(discovery.issuer, discovery.resource);
const { clientId, issuer, resource, scope } = await storeOf('login').get(loginKey);
if (issuer !== asIssuer) throw new Error('unexpected issuer');

async function pool(count, width, task) {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

/** Gives every user a fresh grant and refresh token, and a record whose access token expired. */
async function seed() {
  const tokens = [];
  for (let from = 0; from < N; from += 2000) {
    const users = [];
    for (let i = from; i < Math.min(N, from + 2000); i++) users.push(`user-${i}`);
    tokens.push(...(await call('seed', { clientId, resource, scope: 'mcp:read', users })));
  }
  const at = Date.now();
  await pool(N, 64, (i) =>
    storeOf(userNamespace(i)).set(storeKeys.tokens(issuer, resource), {
      v: 1,
      kind: 'tokens',
      issuer,
      resource,
      clientId,
      accessToken: 'seeded-expired',
      tokenType: 'Bearer',
      expiresAt: at - 1000,
      obtainedAt: at - 1000 - TTL_SECONDS * 1000,
      refreshToken: tokens[i],
      scope,
    }),
  );
}

async function phase(processes) {
  await seed();
  const workers = Array.from({ length: processes }, () =>
    fork(here('./gateway/worker.mjs'), {
      execArgv: ['--expose-gc', ...profile],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const config = {
    n: N,
    rounds: ROUNDS,
    ttlMs: TTL_SECONDS * 1000,
    concurrency: CONCURRENCY,
    apiUrl,
    redisUrl,
    encryptionKey,
  };
  children.push(...workers);
  const created = workers.map((w) => once(w, 'created'));
  for (const [index, w] of workers.entries()) {
    w.send({ type: 'start', config: { ...config, breakdown: processes === 1 && index === 0 } });
  }
  await Promise.all(created);
  // after the warm-up, which may refresh or renew the login session's tokens
  const before = await call('stats');
  const done = workers.map((w) => once(w, 'done'));
  for (const w of workers) w.send({ type: 'go' });
  const results = (await Promise.all(done)).map((m) => m.result);
  const after = await call('stats');
  return summarize(processes, results, before, after);
}

const sorted = (arrays) => {
  const all = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    all.set(a, at);
    at += a.length;
  }
  return all.sort();
};
const quantile = (s, q) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN);

/** Lock waits: a lock requested while another holder had the same lock; crossed if that holder was another session. */
function lockFigures(results) {
  const byLock = new Map();
  let total = 0;
  let app = 0;
  for (const r of results) {
    const l = r.locks;
    for (let i = 0; i < l.session.length; i++) {
      total += 1;
      if (l.app[i]) app += 1;
      const id = l.app[i] ? 'app' : `u${l.session[i]}:${l.tokensKey[i]}`;
      const list = byLock.get(id) ?? [];
      byLock.set(id, list);
      list.push([l.session[i], l.requested[i], l.acquired[i], l.released[i]]);
    }
  }
  let waits = 0;
  let crossed = 0;
  for (const list of byLock.values()) {
    for (const [session, requested, acquired] of list) {
      let waited = false;
      let across = false;
      for (const [other, , heldFrom, heldUntil] of list) {
        if (heldFrom < acquired && heldUntil > requested && heldFrom !== acquired) {
          waited = true;
          if (other !== session) across = true;
        }
      }
      if (waited) waits += 1;
      if (across) crossed += 1;
    }
  }
  const otherKeys = [...new Set(results.flatMap((r) => r.locks.otherKeys))];
  return {
    total,
    app,
    waits,
    crossed,
    otherKeys,
    dropped: results.reduce((n, r) => n + r.locks.dropped, 0),
  };
}

function summarize(processes, results, before, after) {
  const refreshRequests =
    (after.tokenRequests.refresh_token ?? 0) - (before.tokenRequests.refresh_token ?? 0);
  const merge = (kind) => sorted(results.map((r) => r.samples[kind]));
  const lat = Object.fromEntries(
    ['libSteady', 'bareSteady', 'libExpiry', 'bareExpiry'].map((k) => [k, merge(k)]),
  );
  const sum = (f) => results.reduce((n, r) => n + f(r), 0);
  const mean = (f) => sum(f) / results.length;
  const recordBytes = mean((r) => r.recordBytes);
  return {
    processes,
    refreshRequests,
    perRound: refreshRequests / (N * ROUNDS),
    expiries: after.distinctRefreshTokens - before.distinctRefreshTokens,
    perExpiry:
      (after.refreshRequests - before.refreshRequests) /
      (after.distinctRefreshTokens - before.distinctRefreshTokens),
    refreshSuccess: after.refreshSuccess - before.refreshSuccess,
    invalidGrant: after.invalidGrant - before.invalidGrant,
    unauthorized: after.endpoint.unauthorized - before.endpoint.unauthorized,
    authorizations: after.authorizations - before.authorizations,
    refreshedEvents: sum((r) => r.events.refreshed),
    skippedEvents: sum((r) => r.events.refresh_skipped ?? 0),
    failures: results.map((r) => r.events.failures),
    errors: results.map((r) => r.errors),
    requests: sum((r) => r.requests),
    recordBytes,
    parts: results[0].parts,
    createdPerSession: mean((r) => r.heap.created) / N,
    perSession: mean((r) => r.heap.firstRound) / N - recordBytes,
    growthPerSession: mean((r) => r.heap.lastRound - r.heap.firstRound) / N,
    lat,
    locks: lockFigures(results),
    roundsMs: results.map((r) => r.roundMs.map((ms) => Math.round(ms / 100) / 10)),
    elapsedMs: Math.max(...results.map((r) => r.elapsedMs)),
  };
}

const started = Date.now();
const one = await phase(1);
const three = await phase(3);

const ms = (x) => `${x.toFixed(2)} ms`;
const p = (s, q) => quantile(s, q);
const row = (label, f, aim = '') =>
  console.log(`${label.padEnd(52)}${f(one).padStart(26)}${f(three).padStart(26)}   ${aim}`);
console.log(
  `${N} sessions per process, ${ROUNDS} expiries per session (rounds), access tokens of ${TTL_SECONDS} s, refresh-token rotation on`,
);
console.log(
  'first tokens: one real login registers the client; each user then gets a grant + refresh token minted by oidc-provider and obtains every access token with a real refresh_token grant',
);
console.log(
  'per visit: 2 library requests at once when the token is due, 1 bare fetch (static Authorization header, same token), then 1 library + 1 bare in steady state',
);
console.log(`${'figure'.padEnd(52)}${'1 process'.padStart(26)}${'3 processes'.padStart(26)}   aim`);
row('requests sent', (r) => String(r.requests));
row('refresh requests at the authorization server', (r) => String(r.refreshRequests));
row('expiries met (distinct refresh tokens presented)', (r) => String(r.expiries));
row('refreshes per session per expiry', (r) => r.perExpiry.toFixed(4), 'exactly 1');
row(
  'expiries met per session per round',
  (r) => r.perRound.toFixed(4),
  '1 (more if processes drift > ttl/2)',
);
row('invalid_grant / re-authorizations', (r) => `${r.invalidGrant} / ${r.authorizations}`, '0 / 0');
row(
  'refreshes made / skipped (refreshed elsewhere)',
  (r) => `${r.refreshedEvents} / ${r.skippedEvents}`,
);
row('401 answers at the endpoint', (r) => String(r.unauthorized), '0');
row('failed requests (thrown, non-200)', (r) =>
  String(
    r.errors.reduce((n, e) => n + e.thrown + Object.values(e.status).reduce((a, b) => a + b, 0), 0),
  ),
);
row('token record size (JSON)', (r) => `${Math.round(r.recordBytes)} B`);
row(
  'heap per session, clients created (no tokens yet)',
  (r) => `${Math.round(r.createdPerSession)} B`,
);
row(
  'memory per session beyond the token record',
  (r) => `${Math.round(r.perSession)} B`,
  '<= 2048 B',
);
row(
  'heap growth per session, first to last round',
  (r) => `${Math.round(r.growthPerSession)} B`,
  '~0',
);
row(
  'steady: p50 library / bare',
  (r) => `${ms(p(r.lat.libSteady, 0.5))} / ${ms(p(r.lat.bareSteady, 0.5))}`,
);
row(
  'steady: p99 library / bare',
  (r) => `${ms(p(r.lat.libSteady, 0.99))} / ${ms(p(r.lat.bareSteady, 0.99))}`,
);
row(
  'steady: added by the library p50 / p99',
  (r) =>
    `${ms(p(r.lat.libSteady, 0.5) - p(r.lat.bareSteady, 0.5))} / ${ms(p(r.lat.libSteady, 0.99) - p(r.lat.bareSteady, 0.99))}`,
);
row(
  'at expiry (refresh included): p50 / p99',
  (r) => `${ms(p(r.lat.libExpiry, 0.5))} / ${ms(p(r.lat.libExpiry, 0.99))}`,
);
row('lock acquisitions (app namespace)', (r) => `${r.locks.total} (${r.locks.app})`);
row('lock waits on the same session (other process)', (r) =>
  String(r.locks.waits - r.locks.crossed),
);
row('lock waits that crossed sessions', (r) => String(r.locks.crossed), 'none');
row('seconds per round (per process)', (r) => r.roundsMs.map((x) => x.join('/')).join(', '));
const { parts } = one;
console.log(
  `a session's parts, each alone: createOAuthClient ${parts.createOAuthClient} B, redisStore of its namespace ${parts.redisStore} B, the bench's routing store ${parts.router} B; after its first request core also holds the token record, whose access token is a view of the Authorization header built from it (one copy of the token), and its authorized fetch`,
);
for (const r of [one, three]) {
  if (r.locks.otherKeys.length)
    console.log(`locks on other keys (${r.processes}p): ${r.locks.otherKeys.join(', ')}`);
  if (r.locks.dropped) console.log(`lock log overflow (${r.processes}p): ${r.locks.dropped}`);
  for (const e of r.errors)
    if (e.first.length) console.log(`errors (${r.processes}p): ${e.first.join('; ')}`);
  for (const f of r.failures)
    if (Object.keys(f).length)
      console.log(`failure events (${r.processes}p): ${JSON.stringify(f)}`);
}
console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);

await redis.close();
await call('close').catch(() => {});
