// One gateway process of bench/gateway.mjs (run with --expose-gc, driven over IPC): one
// createOAuthClient per user, all on one Redis connection, visiting every user's session in
// rounds. Each round meets one expiry per session: a visit waits until the session's token
// is due for refresh (half its life, as core refreshes proactively), then sends two library
// requests at once (the refresh and a request that waits for it), a bare fetch with the
// token the library now holds, then one more library request and one more bare fetch with
// a fresh token (the steady state). Latencies, heap after GC and every lock taken through
// the store are reported to the parent.
import { performance } from 'node:perf_hooks';
import {
  APP_NAMESPACE,
  createClient,
  load,
  redisStore,
  sharedRegistrations,
  userNamespace,
} from './stores.mjs';

const { createOAuthClient } = await load('packages/core/dist/index.js');
const { headlessInteraction } = await load('packages/core/dist/flow.js');

const now = () => performance.timeOrigin + performance.now();
const send = (message) => new Promise((resolve) => process.send(message, resolve));
const nextMessage = (type) =>
  new Promise((resolve) => {
    const on = (message) => {
      if (message.type !== type) return;
      process.off('message', on);
      resolve(message);
    };
    process.on('message', on);
  });
/** Heap after full collections, with finalizers (undici's, WeakRefs) given a turn between them. */
const heapAfterGc = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
};

const { config } = await nextMessage('start');
const { n, rounds, ttlMs, concurrency, apiUrl, encryptionKey } = config;

const redis = createClient({ url: config.redisUrl });
redis.on('error', () => {});
await redis.connect();
const app = redisStore({ client: redis, namespace: APP_NAMESPACE, encryptionKey });
const storeOf = (namespace) => redisStore({ client: redis, namespace, encryptionKey });

// Everything the bench keeps is allocated before the baseline, so that it is not counted.
const VISIT = 5; // requests per visit: 2 library (expiry), 1 bare, 1 library (steady), 1 bare
const samples = {
  libExpiry: new Float64Array(n * rounds * 2),
  bareExpiry: new Float64Array(n * rounds),
  libSteady: new Float64Array(n * rounds),
  bareSteady: new Float64Array(n * rounds),
};
const filled = { libExpiry: 0, bareExpiry: 0, libSteady: 0, bareSteady: 0 };
const LOG = n * rounds * 2 + 1024;
const locks = {
  session: new Int32Array(LOG),
  app: new Uint8Array(LOG),
  tokensKey: new Uint8Array(LOG),
  requested: new Float64Array(LOG),
  acquired: new Float64Array(LOG),
  released: new Float64Array(LOG),
  count: 0,
  dropped: 0,
  otherKeys: new Set(),
};
const dueAt = new Float64Array(n);
const events = { refreshed: 0, refresh_skipped: 0, authorized: 0, failure: 0, failures: {} };
const errors = { status: {}, thrown: 0, first: [] };
const onEvent = (event) => {
  events[event.type] = (events[event.type] ?? 0) + 1;
  if (event.type === 'failure')
    events.failures[event.code] = (events.failures[event.code] ?? 0) + 1;
};

/** Records one lock taken through a session's store: which session, which key, when. */
async function onLock(session, isApp, key, take) {
  const requested = now();
  const lock = await take();
  const slot = locks.count < LOG ? locks.count++ : -1;
  if (slot < 0) locks.dropped += 1;
  else {
    locks.session[slot] = session;
    locks.app[slot] = isApp ? 1 : 0;
    locks.tokensKey[slot] = key.startsWith('tokens:') ? 1 : 0;
    if (!key.startsWith('tokens:'))
      locks.otherKeys.add(`${isApp ? 'app' : 'user'}:${key.split(':')[0]}`);
    locks.requested[slot] = requested;
    locks.acquired[slot] = now();
  }
  return {
    key: lock.key,
    get expiresAt() {
      return lock.expiresAt;
    },
    async release() {
      await lock.release();
      if (slot >= 0) locks.released[slot] = now();
    },
  };
}

function createSession(index) {
  const store = sharedRegistrations(storeOf(userNamespace(index)), app, onLock, index);
  return createOAuthClient({ serverUrl: apiUrl, store, onEvent });
}

async function timed(kind, request) {
  const started = performance.now();
  let response;
  try {
    response = await request();
    await response.arrayBuffer();
  } catch (error) {
    errors.thrown += 1;
    if (errors.first.length < 3) errors.first.push(String(error?.code ?? error?.message ?? error));
    return;
  }
  samples[kind][filled[kind]++] = performance.now() - started;
  if (response.status !== 200)
    errors.status[response.status] = (errors.status[response.status] ?? 0) + 1;
}

const bare = (token) => fetch(apiUrl, { headers: { authorization: `Bearer ${token}` } });

// Warm-up outside the measurement: the login session (authorized by the parent) loads every
// module a request needs and opens the HTTP connections.
const warm = createOAuthClient({
  serverUrl: apiUrl,
  store: sharedRegistrations(storeOf('login'), app),
  interaction: headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' }),
});
for (let i = 0; i < 20; i++) {
  await (await warm.fetch(apiUrl)).arrayBuffer();
  await (await bare(await warm.getAccessToken())).arrayBuffer();
}

// Where a session's bytes go: each part alone, 1,000 times, before the measured run (first
// process only). The store of a user namespace is the app's redisStore on the shared client.
const parts = {};
if (config.breakdown) {
  const measure = async (make) => {
    const keep = new Array(1000);
    const before = await heapAfterGc();
    for (let i = 0; i < keep.length; i++) keep[i] = make(i);
    return Math.round(((await heapAfterGc()) - before) / keep.length);
  };
  parts.redisStore = await measure((i) => storeOf(`probe${i}`));
  parts.createOAuthClient = await measure(() =>
    createOAuthClient({ serverUrl: apiUrl, store: app }),
  );
  parts.router = await measure((i) => sharedRegistrations(app, app, onLock, i));
}

const baseline = await heapAfterGc();
const sessions = new Array(n);
for (let i = 0; i < n; i++) sessions[i] = createSession(i);
const heapCreated = await heapAfterGc();
if (process.env.GATEWAY_HEAPSNAPSHOT && config.breakdown)
  (await import('node:v8')).writeHeapSnapshot(
    `${process.env.GATEWAY_HEAPSNAPSHOT}-created.heapsnapshot`,
  );
await send({ type: 'created', heapCreated: heapCreated - baseline });
await nextMessage('go');

async function visit(index, round) {
  const oauth = sessions[index];
  await Promise.all([
    timed('libExpiry', () => oauth.fetch(apiUrl)),
    timed('libExpiry', () => oauth.fetch(apiUrl)),
  ]);
  let token;
  try {
    token = await oauth.getAccessToken();
  } catch {
    errors.thrown += 1;
    return;
  }
  await timed('bareExpiry', () => bare(token));
  if (round % 2 === 0) {
    await timed('libSteady', () => oauth.fetch(apiUrl));
    await timed('bareSteady', () => bare(token));
  } else {
    await timed('bareSteady', () => bare(token));
    await timed('libSteady', () => oauth.fetch(apiUrl));
  }
}

const heap = { created: heapCreated - baseline, firstRound: 0, lastRound: 0 };
const roundMs = [];
const started = now();
for (let round = 0; round < rounds; round++) {
  const roundStart = now();
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < n; index = next++) {
      const wait = dueAt[index] - now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await visit(index, round);
      // The token in use was obtained before now: it is due at the latest half its life later.
      dueAt[index] = now() + ttlMs / 2 + 250;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  roundMs.push(now() - roundStart);
  if (round === 0) heap.firstRound = (await heapAfterGc()) - baseline;
  if (process.env.GATEWAY_HEAPSNAPSHOT && config.breakdown)
    (await import('node:v8')).writeHeapSnapshot(
      `${process.env.GATEWAY_HEAPSNAPSHOT}-${round}.heapsnapshot`,
    );
}
const elapsedMs = now() - started;
heap.lastRound = (await heapAfterGc()) - baseline;

// The size of what a session must keep anyway: its token record (as JSON text).
const sizes = [];
for (let i = 0; i < n && sizes.length < 20; i++) {
  const store = storeOf(userNamespace(i));
  const [key] = await store.list('tokens:');
  if (key) sizes.push(JSON.stringify(await store.get(key)).length);
}
const recordBytes = sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length);

const trim = (array, count) => array.slice(0, count);
await send({
  type: 'done',
  result: {
    heap,
    parts,
    recordBytes,
    elapsedMs,
    roundMs,
    events,
    errors,
    requests: n * rounds * VISIT,
    samples: Object.fromEntries(
      Object.entries(samples).map(([kind, array]) => [kind, trim(array, filled[kind])]),
    ),
    locks: {
      session: trim(locks.session, locks.count),
      app: trim(locks.app, locks.count),
      tokensKey: trim(locks.tokensKey, locks.count),
      requested: trim(locks.requested, locks.count),
      acquired: trim(locks.acquired, locks.count),
      released: trim(locks.released, locks.count),
      dropped: locks.dropped,
      otherKeys: [...locks.otherKeys],
    },
  },
});
await redis.close();
process.disconnect();
