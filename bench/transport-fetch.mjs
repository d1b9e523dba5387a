// Benchmark of @mcp-oauth/transport-fetch (not a test; run after
// `pnpm --filter @mcp-oauth/transport-fetch build`):
//   node bench/transport-fetch.mjs [--quick]
// A trivial loopback server (in a child process: it shares neither the client's event loop nor
// its CPU accounting, so the CPU column is the client's alone)
// answers 200 when the Authorization header carries the expected bearer token, 401 otherwise.
// Each row is one way of making that authenticated GET; it is measured sequentially
// (SEQUENTIAL requests, one at a time) and with IN_FLIGHT requests in flight (CONCURRENT in
// all), ROUNDS times in alternation (the order rotating each round); the median of the rounds
// is reported, with the ratio to
// the first row (bare undici fetch). createFetch is undici.fetch over a dispatcher with one
// interceptor (body buffering and limits); the candidate row sketches the other design issue 13
// allowed (undici's redirect and decompress interceptors under dispatcher.request, no fetch).
//
// Adding a row is one function: push `{ name, setup }` onto `rows`, where
// `setup({ url, token })` resolves to `{ request, close? }` and `request()` makes one request
// and throws unless it got a 200 with the body read.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageJson = fileURLToPath(
  new URL('../packages/transport-fetch/package.json', import.meta.url),
);
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
const SEQUENTIAL = quick ? 500 : 5000;
const CONCURRENT = quick ? 2000 : 30000;
const IN_FLIGHT = 64;
const ROUNDS = quick ? 1 : 5;
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
  {
    // The other way issue 13 item 6 allows: no undici.fetch, only undici's maintained
    // interceptors (redirect, which strips credentials across origins, and decompress) over
    // createFetch's own dispatcher (its body buffering and limits included), then a Response
    // built from what `dispatcher.request` returns. A sketch of that fast path's cost (no
    // abort, no redirect modes, no statusText), not shipped: see the transport-fetch README.
    name: 'candidate: undici interceptors + dispatcher.request over createFetch',
    async setup({ url, token }) {
      const fetch = transport.createFetch({ proxy: false });
      const { redirect, decompress } = undici.interceptors;
      const dispatcher = fetch.dispatcher.compose(redirect({ maxRedirections: 20 }), decompress());
      const target = new URL(url);
      return {
        // What a shipped version must still do by hand on top of the interceptors: fetch's
        // default request headers, a Headers for the response (repeated fields kept), and the
        // Response's url (the last hop of the redirect interceptor's history).
        request: async () => {
          const headers = {
            authorization: `Bearer ${token}`,
            'user-agent': 'bench',
            accept: '*/*',
            'accept-language': '*',
            'sec-fetch-mode': 'cors',
            'accept-encoding': 'gzip, deflate',
          };
          const raw = await dispatcher.request({
            origin: target.origin,
            path: target.pathname,
            method: 'GET',
            headers,
          });
          const responseHeaders = new undici.Headers();
          for (const [name, value] of Object.entries(raw.headers)) {
            if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
            else if (value !== undefined) responseHeaders.append(name, value);
          }
          const response = new undici.Response(await raw.body.arrayBuffer(), {
            status: raw.statusCode,
            headers: responseHeaders,
          });
          const history = raw.context?.history;
          Object.defineProperty(response, 'url', {
            value: String(history?.[history.length - 1] ?? target),
          });
          await response.text();
          if (response.status !== 200) throw new Error(`status ${response.status}`);
        },
        close: () => fetch.close(),
      };
    },
  },
  {
    name: '@mcp-oauth/core authorized fetch over createFetch',
    async setup({ url, token }) {
      const { createOAuthClient, memoryStore } = await import('@mcp-oauth/core');
      const fetch = transport.createFetch({ proxy: false });
      const oauth = createOAuthClient({
        serverUrl: url,
        store: await storeWithToken(memoryStore(), url, token),
        fetch,
      });
      return {
        request: async () => {
          const response = await oauth.fetch(url);
          await response.text();
          if (response.status !== 200) throw new Error(`status ${response.status}`);
        },
        close: () => fetch.close(),
      };
    },
  },
  {
    name: 'official SDK withOAuth middleware over undici fetch',
    async setup({ url, token }) {
      const { withOAuth } = await import('@modelcontextprotocol/sdk/client/middleware.js');
      const dispatcher = new undici.Agent();
      const provider = {
        redirectUrl: 'http://127.0.0.1/callback',
        clientMetadata: { redirect_uris: ['http://127.0.0.1/callback'] },
        clientInformation: () => ({ client_id: 'bench' }),
        tokens: async () => ({ access_token: token, token_type: 'Bearer' }),
        saveTokens: async () => {},
        redirectToAuthorization: async () => {},
        saveCodeVerifier: async () => {},
        codeVerifier: async () => 'v',
      };
      const fetch = withOAuth(
        provider,
        url,
      )((input, init) => undici.fetch(input, { ...init, dispatcher }));
      return {
        request: async () => {
          const response = await fetch(url);
          await response.text();
          if (response.status !== 200) throw new Error(`status ${response.status}`);
        },
        close: () => dispatcher.close(),
      };
    },
  },
];

const serverSource = `
  const http = require('node:http');
  const expected = 'Bearer ' + process.env.BENCH_TOKEN;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '11' });
    res.end('{"ok":true}');
  });
  server.keepAliveTimeout = 60000;
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** A store that already holds discovery and a valid token for `url`: requests need no OAuth traffic. */
async function storeWithToken(store, url, token) {
  const issuer = 'https://as.example';
  await store.set(`discovery:${url}`, {
    v: 1,
    kind: 'discovery',
    resource: url,
    resourceMetadataUrl: `${url}/.well-known`,
    resourceMetadata: { resource: url, authorization_servers: [issuer] },
    issuer,
    authorizationServerMetadataUrl: `${issuer}/.well-known/oauth-authorization-server`,
    authorizationServerMetadata: { issuer, code_challenge_methods_supported: ['S256'] },
    discoveredAt: Date.now(),
  });
  await store.set(`tokens:${issuer} ${url}`, {
    v: 1,
    kind: 'tokens',
    issuer,
    resource: url,
    clientId: 'bench',
    accessToken: token,
    tokenType: 'bearer',
    obtainedAt: Date.now(),
    expiresAt: Date.now() + 3_600_000,
  });
  return store;
}

async function startServer() {
  const child = spawn(process.execPath, ['-e', serverSource], {
    env: { ...process.env, BENCH_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve(Number.parseInt(String(chunk), 10)));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}/mcp`, stop: () => child.kill() };
}

/** Requests per second, and the client's CPU µs per request (the server runs in another process). */
async function measure(run, count) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return {
    rate: count / ((performance.now() - started) / 1000),
    cpu: (used.user + used.system) / count,
  };
}

async function sequential(request, count) {
  return measure(async () => {
    for (let i = 0; i < count; i++) await request();
  }, count);
}

async function concurrent(request, count, inFlight) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await request();
    }
  };
  return measure(() => Promise.all(Array.from({ length: inFlight }, worker)), count);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function main() {
  const server = await startServer();
  const results = rows.map((row) => ({ name: row.name, sequential: [], concurrent: [], cpu: [] }));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // The order rotates each round, so no row always runs first or last (warm-up, GC, heap
      // growth and the machine's other load would otherwise favour one position).
      for (let k = 0; k < rows.length; k++) {
        const i = (k + round) % rows.length;
        const row = rows[i];
        const { request, close } = await row.setup({ url: server.url, token: TOKEN });
        try {
          for (let w = 0; w < 2000; w++) await request(); // warm-up: connections, JIT
          const seq = await sequential(request, SEQUENTIAL);
          const con = await concurrent(request, CONCURRENT, IN_FLIGHT);
          results[i].sequential.push(seq.rate);
          results[i].concurrent.push(con.rate);
          results[i].cpu.push(con.cpu);
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
  const baseCpu = median(base.cpu);
  const table = results.map((r) => {
    const seq = median(r.sequential);
    const con = median(r.concurrent);
    return {
      path: r.name,
      [`sequential req/s (${SEQUENTIAL})`]: Math.round(seq),
      'ratio seq': (seq / baseSeq).toFixed(3),
      [`${IN_FLIGHT} in flight req/s (${CONCURRENT})`]: Math.round(con),
      [`ratio ${IN_FLIGHT}`]: (con / baseCon).toFixed(3),
      'CPU µs/req': Math.round(median(r.cpu)),
      'CPU ratio': (median(r.cpu) / baseCpu).toFixed(3),
    };
  });
  console.log(
    `transport-fetch benchmark: Node ${process.version}, median of ${ROUNDS} round(s), ratios against ${base.name}`,
  );
  console.table(table);
  console.log(
    'Throughput on a shared machine is noisy; CPU µs per request (measured at 64 in flight) is the steadier comparison.',
  );
}

await main();
