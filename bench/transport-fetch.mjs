// Benchmark of @mcp-oauth/transport-fetch (not a test; run after
// `pnpm --filter @mcp-oauth/transport-fetch build`):
//   node bench/transport-fetch.mjs [--quick]
// A trivial loopback server (in a worker thread, so it does not share the client's event loop)
// answers 200 when the Authorization header carries the expected bearer token, 401 otherwise.
// Each row is one way of making that authenticated GET; it is measured sequentially
// (SEQUENTIAL requests, one at a time) and with IN_FLIGHT requests in flight (CONCURRENT in
// all), ROUNDS times in alternation; the median of the rounds is reported, with the ratio to
// the first row (bare undici fetch). The aim: our path at 0.95 or more of bare undici.
//
// Adding a row is one function: push `{ name, setup }` onto `rows`, where
// `setup({ url, token })` resolves to `{ request, close? }` and `request()` makes one request
// and throws unless it got a 200 with the body read.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const packageJson = fileURLToPath(new URL('../packages/transport-fetch/package.json', import.meta.url));
const requireFromPackage = createRequire(packageJson);
let transport;
try {
  transport = await import(pathToFileURL(requireFromPackage.resolve('./dist/index.js')).href);
} catch {
  console.error('Build first: pnpm --filter @mcp-oauth/transport-fetch build');
  process.exit(1);
}
const undici = await import(pathToFileURL(requireFromPackage.resolve('undici')).href);

const quick = process.argv.includes('--quick');
const SEQUENTIAL = quick ? 500 : 2000;
const CONCURRENT = quick ? 2000 : 10000;
const IN_FLIGHT = 64;
const ROUNDS = quick ? 1 : 3;
const TOKEN = `bench-${'t'.repeat(800)}`; // about the size of a JWT access token

/** One row per way of sending the request. */
export const rows = [
  {
    name: 'bare undici fetch',
    async setup({ url, token }) {
      const dispatcher = new undici.Agent();
      const headers = { authorization: `Bearer ${token}` };
      return {
        request: async () => {
          const response = await undici.fetch(url, { headers, dispatcher });
          await response.text();
          if (response.status !== 200) throw new Error(`status ${response.status}`);
        },
        close: () => dispatcher.close(),
      };
    },
  },
  {
    name: 'transport-fetch createFetch',
    async setup({ url, token }) {
      const fetch = transport.createFetch({ proxy: false });
      const headers = { authorization: `Bearer ${token}` };
      return {
        request: async () => {
          const response = await fetch(url, { headers });
          await response.text();
          if (response.status !== 200) throw new Error(`status ${response.status}`);
        },
        close: () => fetch.close(),
      };
    },
  },
];

const serverSource = `
  const http = require('node:http');
  const { parentPort, workerData } = require('node:worker_threads');
  const expected = 'Bearer ' + workerData.token;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '11' });
    res.end('{"ok":true}');
  });
  server.keepAliveTimeout = 60000;
  server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

async function startServer() {
  const worker = new Worker(serverSource, { eval: true, workerData: { token: TOKEN } });
  const port = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { url: `http://127.0.0.1:${port}/mcp`, stop: () => worker.terminate() };
}

async function sequential(request, count) {
  const started = performance.now();
  for (let i = 0; i < count; i++) await request();
  return count / ((performance.now() - started) / 1000);
}

async function concurrent(request, count, inFlight) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await request();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return count / ((performance.now() - started) / 1000);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function main() {
  const server = await startServer();
  const results = rows.map((row) => ({ name: row.name, sequential: [], concurrent: [] }));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, row] of rows.entries()) {
        const { request, close } = await row.setup({ url: server.url, token: TOKEN });
        try {
          for (let w = 0; w < 200; w++) await request(); // warm-up: connections, JIT
          results[i].sequential.push(await sequential(request, SEQUENTIAL));
          results[i].concurrent.push(await concurrent(request, CONCURRENT, IN_FLIGHT));
        } finally {
          await close?.();
        }
      }
    }
  } finally {
    await server.stop();
  }
  const base = results[0];
  const baseSeq = median(base.sequential);
  const baseCon = median(base.concurrent);
  const table = results.map((r) => {
    const seq = median(r.sequential);
    const con = median(r.concurrent);
    return {
      path: r.name,
      [`sequential req/s (${SEQUENTIAL})`]: Math.round(seq),
      'ratio seq': (seq / baseSeq).toFixed(3),
      [`${IN_FLIGHT} in flight req/s (${CONCURRENT})`]: Math.round(con),
      [`ratio ${IN_FLIGHT}`]: (con / baseCon).toFixed(3),
    };
  });
  console.log(
    `transport-fetch benchmark: Node ${process.version}, median of ${ROUNDS} round(s), ratios against ${base.name}`,
  );
  console.table(table);
}

await main();
