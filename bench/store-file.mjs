// Benchmark of @mcp-oauth/store-file (not a test; run after `pnpm --filter @mcp-oauth/store-file build`):
//   node bench/store-file.mjs
// 1. get/set latency: p50 and p99 over 1000 operations each, default key file.
// 2. Start-up: process start to an Authorization header read from the store (a tiny
//    script importing the built dist), against bare `node -e 0`; 20 runs each, medians
//    and their ratio. The aim: within 1.3x of bare Node start-up.
// 3. Inside a new process (issue 14): importing the dist, then opening the store and reading
//    three records one after another (alias, discovery, tokens, as `mcp-oauth token <name>`
//    does), and list() before them; medians over 20 processes.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = fileURLToPath(new URL('../packages/store-file/dist/index.js', import.meta.url));
if (!existsSync(dist)) {
  console.error('Build first: pnpm --filter @mcp-oauth/store-file build');
  process.exit(1);
}
const { fileStore } = await import(pathToFileURL(dist).href);

const OPS = 1000;
const RUNS = 20;
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (n) => `${n.toFixed(3)} ms`;

const directory = await mkdtemp(join(tmpdir(), 'mcp-oauth-bench-'));
try {
  const store = fileStore({ directory });
  const record = {
    v: 1,
    issuer: 'https://auth.example.com',
    resource: 'https://mcp.example.com/mcp',
    tokens: {
      access_token: 'a'.repeat(900),
      refresh_token: 'r'.repeat(64),
      expires_at: Date.now() + 3_600_000,
    },
  };
  await store.set('tokens/https://mcp.example.com/mcp', record);

  const time = async (fn) => {
    const samples = [];
    for (let i = 0; i < OPS; i++) {
      const t = performance.now();
      await fn(i);
      samples.push(performance.now() - t);
    }
    return samples.sort((a, b) => a - b);
  };
  const sets = await time((i) => store.set('tokens/https://mcp.example.com/mcp', { ...record, i }));
  const gets = await time(() => store.get('tokens/https://mcp.example.com/mcp'));
  console.log(
    `set (write, fsync, rename, fsync folder): p50 ${ms(quantile(sets, 0.5))}, p99 ${ms(quantile(sets, 0.99))} over ${OPS}`,
  );
  console.log(
    `get (open, read, decrypt):                p50 ${ms(quantile(gets, 0.5))}, p99 ${ms(quantile(gets, 0.99))} over ${OPS}`,
  );

  const script = join(directory, 'read-header.mjs');
  await writeFile(
    script,
    `import { fileStore } from ${JSON.stringify(pathToFileURL(dist).href)};
const record = await fileStore({ directory: ${JSON.stringify(directory)} }).get('tokens/https://mcp.example.com/mcp');
const header = 'Bearer ' + record.tokens.access_token;
if (header.length < 10) process.exit(1);
`,
  );
  const startup = (args) => {
    const samples = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const t = performance.now();
      const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
      const elapsed = performance.now() - t;
      if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
      if (i >= 2) samples.push(elapsed); // two warm-up runs
    }
    return samples.sort((a, b) => a - b);
  };
  const bare = startup(['-e', '0']);
  const withStore = startup([script]);
  const bareMedian = quantile(bare, 0.5);
  const storeMedian = quantile(withStore, 0.5);
  console.log(`start-up, bare node -e 0:               median ${ms(bareMedian)} (${RUNS} runs)`);
  console.log(`start-up, to Authorization header read: median ${ms(storeMedian)} (${RUNS} runs)`);
  console.log(`ratio: ${(storeMedian / bareMedian).toFixed(2)}x (aim: within 1.3x)`);

  const server = 'https://mcp.example.com/mcp';
  const issuer = 'https://auth.example.com';
  const keys = [`alias:bench`, `discovery:${server}`, `tokens:${issuer} ${server}`];
  await store.set(keys[0], { v: 1, serverUrl: server });
  await store.set(keys[1], {
    v: 1,
    issuer,
    resource: server,
    as: { issuer, token_endpoint: `${issuer}/token` },
  });
  await store.set(keys[2], record);
  const reads = join(directory, 'read-three.mjs');
  await writeFile(
    reads,
    `import { performance } from 'node:perf_hooks';
const t0 = performance.now();
const { fileStore } = await import(${JSON.stringify(pathToFileURL(dist).href)});
const t1 = performance.now();
const store = fileStore({ directory: ${JSON.stringify(directory)} });
if (process.argv[2] === 'list') await store.list('alias:');
for (const key of ${JSON.stringify(keys)}) if (!(await store.get(key))) process.exit(1);
const t2 = performance.now();
process.stdout.write(JSON.stringify([t1 - t0, t2 - t1]));
`,
  );
  for (const mode of ['', 'list']) {
    const phases = [[], []];
    for (let i = 0; i < RUNS; i++) {
      const result = spawnSync(process.execPath, [reads, mode], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`${reads} exited with ${result.status}`);
      for (const [j, value] of JSON.parse(result.stdout).entries()) phases[j].push(value);
    }
    const [imported, read] = phases.map((xs) =>
      quantile(
        xs.sort((a, b) => a - b),
        0.5,
      ),
    );
    console.log(
      `in a new process: import ${ms(imported)}, open the store and ${mode ? 'list() + ' : ''}read 3 records ${ms(read)} (medians of ${RUNS})`,
    );
  }
} finally {
  await rm(directory, { recursive: true, force: true });
}
