// Benchmark of @mcp-oauth/store-redis against the file store and the memory store, in one
// run (a command, not a test). Build first, and have redis-server (scripts/setup-redis.sh):
//   pnpm --filter @mcp-oauth/core --filter @mcp-oauth/store-file --filter @mcp-oauth/store-redis \
//     --filter @mcp-oauth/test-redis-server build && node bench/store-redis.mjs [ops]
// Measures get, set and lock (acquire + release, uncontended) p50 and p99 over `ops`
// operations each (default 2000) on a realistic tokens record, against a private
// redis-server on 127.0.0.1 (loopback: network latency excluded), and prints the ratios.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const needed = {
  core: dist('packages/core/dist/store.js'),
  file: dist('packages/store-file/dist/index.js'),
  redis: dist('packages/store-redis/dist/index.js'),
  server: dist('test/redis-server/dist/index.js'),
};
for (const path of Object.values(needed)) {
  if (!existsSync(path)) {
    console.error(`Build first (missing ${path}); see the command at the top of this file.`);
    process.exit(1);
  }
}
const load = (path) => import(pathToFileURL(path).href);
const { memoryStore } = await load(needed.core);
const { fileStore } = await load(needed.file);
const { redisStore } = await load(needed.redis);
const { startRedisServer } = await load(needed.server);

const OPS = Number(process.argv[2] ?? 2000);
const KEY = 'tokens:https://auth.example.com https://mcp.example.com/mcp';
const record = {
  v: 1,
  kind: 'tokens',
  issuer: 'https://auth.example.com',
  resource: 'https://mcp.example.com/mcp',
  clientId: 'client-123',
  accessToken: 'a'.repeat(900),
  tokenType: 'Bearer',
  expiresAt: Date.now() + 3_600_000,
  obtainedAt: Date.now(),
  refreshToken: 'r'.repeat(64),
};
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function time(fn) {
  for (let i = 0; i < 50; i++) await fn(i); // warm-up
  const samples = [];
  for (let i = 0; i < OPS; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return samples.sort((a, b) => a - b);
}

async function measure(store) {
  await store.set(KEY, record);
  const set = await time((i) => store.set(KEY, { ...record, obtainedAt: i }));
  const get = await time(() => store.get(KEY));
  const lock = await time(async () => {
    const held = await store.lock(KEY, { ttlMs: 10_000 });
    await held.release();
  });
  return { get, set, lock };
}

const server = await startRedisServer();
const directory = await mkdtemp(join(tmpdir(), 'mcp-oauth-bench-'));
try {
  const results = {};
  results.memory = await measure(memoryStore());
  results.file = await measure(
    fileStore({ directory, keySource: { kind: 'key', key: randomBytes(32) } }),
  );
  const redis = redisStore({ url: server.url, encryptionKey: randomBytes(32) });
  results.redis = await measure(redis);
  await redis.close();

  const ms = (n) => `${n.toFixed(3)} ms`.padStart(10);
  console.log(`${OPS} operations each; p50 / p99; redis-server on loopback, same machine`);
  console.log(
    `${'op'.padEnd(6)}${'memory'.padStart(24)}${'file'.padStart(24)}${'redis'.padStart(24)}   redis/file  redis/memory (p50)`,
  );
  for (const op of ['get', 'set', 'lock']) {
    const cell = (kind) =>
      `${ms(quantile(results[kind][op], 0.5))} /${ms(quantile(results[kind][op], 0.99))}`;
    const p50 = (kind) => quantile(results[kind][op], 0.5);
    console.log(
      `${op.padEnd(6)}${cell('memory').padStart(24)}${cell('file').padStart(24)}${cell('redis').padStart(24)}   ${`${(p50('redis') / p50('file')).toFixed(2)}x`.padStart(10)}  ${`${(p50('redis') / p50('memory')).toFixed(1)}x`.padStart(12)}`,
    );
  }
} finally {
  await server.close();
  await rm(directory, { recursive: true, force: true });
}
