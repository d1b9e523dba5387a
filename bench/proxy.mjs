// Bridge benchmark (a command, not a test): `npm run bench proxy`, or after a build
//   node bench/proxy.mjs [--calls N] [--runs N]
// Against the real test servers (in a child process), our bridge (`mcp-oauth proxy`) side by
// side with mcp-remote (the `mcp-remote` npm package, a bench dependency). Each is logged in
// once, headlessly: a BROWSER script plays the person with the test servers'
// `completeAuthorization` and then GETs the client's callback. mcp-remote opens the browser with
// the `open` package, whose bundled xdg-open honours $BROWSER (mcp-remote's own fallbacks run
// /usr/bin/xdg-open, gio, x-www-browser, sensible-browser: fakes of those come first on PATH too);
// it stores tokens under $MCP_REMOTE_CONFIG_DIR (a temp dir here) and gets a fixed free callback
// port on 127.0.0.1 (http on 127.0.0.1 needs no --allow-http).
//   1. added latency per tools/call: the official SDK Client through `mcp-oauth proxy` and through
//      mcp-remote (stdio) vs the same Client straight to the server over Streamable HTTP with
//      core's `oauth.fetch` (same store, same HTTP layer), calls rotating, medians and the
//      differences (aim: ≤ 1 ms median for ours);
//   2. warm start-up: spawn → initialize → first tools/list answer with stored tokens, ours vs
//      mcp-remote (its dist/proxy.js run with node directly, no npx), with bare `node -e 0` and
//      `mcp-oauth --version` for reference, rotating, medians, ratio ours/mcp-remote (aim ≤ 0.5);
//      and the floors: a program that only imports the SDK transports the bridge is built on
//      (StdioServerTransport, StreamableHTTPClientTransport), as the SDK ships them and bundled
//      into one minified file (their zod schemas are built at import); and the bridge's own
//      bundle (dist/proxy.cjs) compiled from V8's code cache, as the bin loads it, and evaluated
//      without running a command: what a start costs before its first request; and the same
//      SDK transports bundled as CommonJS and loaded from their code cache, the least any
//      bridge on them can pay (issue 17's aim: start-up ≤ 1.5x bare node).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// the bin users run (hosts spawn it): whatever the CLI's package.json `bin` names
const cliPackage = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8'));
const cli = join(root, 'packages/cli', cliPackage.bin['mcp-oauth']);
const servers = join(root, 'packages/testing/dist/index.js');
const serversBin = join(root, 'packages/testing/dist/cli.js');
const core = join(root, 'packages/core/dist/index.js');
const storeFile = join(root, 'packages/store-file/dist/index.js');
const transportFetch = join(root, 'packages/transport-fetch/dist/index.js');
for (const file of [cli, servers, serversBin, core, storeFile, transportFetch]) {
  if (!existsSync(file)) {
    console.error(`Build first (npm run bench builds): ${file} is missing`);
    process.exit(1);
  }
}
const remotePackageJson = createRequire(import.meta.url).resolve('mcp-remote/package.json');
const remotePackage = JSON.parse(readFileSync(remotePackageJson, 'utf8'));
const remoteBin = join(dirname(remotePackageJson), remotePackage.bin['mcp-remote']);
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const CALLS = arg('--calls', 400);
const RUNS = arg('--runs', 15);
const STEP_TIMEOUT = 30_000;
const LOGIN_TIMEOUT = 90_000;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];
const ms = (x) => `${x.toFixed(3)} ms`;
const withTimeout = (promise, timeout, what) => {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}: timed out after ${timeout} ms`)),
        timeout,
      );
    }),
  ]).finally(() => clearTimeout(timer));
};
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

// Everything started here, so that any exit (error, timeout, Ctrl+C) ends it and removes the dir.
const clients = new Set();
const children = new Set();
let serverProcess;
let dir;
let cleaned;
const cleanup = () => {
  cleaned ??= (async () => {
    await Promise.allSettled([...clients].map((client) => client.close()));
    for (const child of children) child.kill('SIGKILL');
    serverProcess?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  })();
  return cleaned;
};
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.once(signal, () => {
    cleanup().finally(() => process.exit(code));
  });
}

/** An SDK Client over stdio to `command args`, connected (initialize done); stderr kept. */
const connectStdio = async (name, args, env, timeout = STEP_TIMEOUT) => {
  const client = new Client({ name, version: '0' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  clients.add(client);
  const close = async () => {
    clients.delete(client);
    await client.close();
  };
  try {
    await withTimeout(client.connect(transport, { timeout }), timeout, `${name}: connect`);
  } catch (error) {
    await close();
    throw new Error(`${error.message}\n--- ${name} stderr ---\n${stderr}`);
  }
  return { client, close, stderr: () => stderr };
};
const spawnTimed = (args, env, cwd) =>
  new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, args, { stdio: 'ignore', env, cwd });
    children.add(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const elapsed = performance.now() - t;
      clearTimeout(timer);
      children.delete(child);
      if (code === 0) resolve(elapsed);
      else reject(new Error(`node ${args.join(' ')} exited (${code ?? signal})`));
    });
  });
const browserCount = async (log) =>
  (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
const findFiles = async (directory, suffix) =>
  (await readdir(directory, { recursive: true }).catch(() => [])).filter((f) => f.endsWith(suffix));

try {
  serverProcess = spawn(process.execPath, [serversBin], { stdio: ['pipe', 'pipe', 'ignore'] });
  const started = await withTimeout(
    new Promise((resolve, reject) => {
      let line = '';
      serverProcess.stdout.on('data', (chunk) => {
        line += chunk;
        if (line.includes('\n')) resolve(JSON.parse(line.slice(0, line.indexOf('\n'))));
      });
      serverProcess.once('exit', (code) => reject(new Error(`the test servers exited (${code})`)));
    }),
    STEP_TIMEOUT,
    'test servers start',
  );
  dir = await mkdtemp(join(tmpdir(), 'mcp-oauth-bench-proxy-'));
  const storeDir = join(dir, 'store');
  const remoteConfigDir = join(dir, 'mcp-remote');
  const oursBrowserLog = join(dir, 'browser-mcp-oauth.log');
  const remoteBrowserLog = join(dir, 'browser-mcp-remote.log');

  // The headless browser: records each visit, consents, then GETs the client's callback.
  const browser = join(dir, 'browser.mjs');
  await writeFile(
    browser,
    `#!${process.execPath}
import { appendFileSync } from 'node:fs';
import { completeAuthorization } from ${JSON.stringify(servers)};
setTimeout(() => process.exit(2), 60_000).unref();
if (process.env.BENCH_BROWSER_LOG) appendFileSync(process.env.BENCH_BROWSER_LOG, 'visit\\n');
const callback = await completeAuthorization(process.argv[2]);
const response = await fetch(callback);
await response.arrayBuffer();
`,
  );
  await chmod(browser, 0o755);
  const fakeBin = join(dir, 'bin');
  await mkdir(fakeBin);
  for (const name of ['xdg-open', 'x-www-browser', 'sensible-browser', 'www-browser']) {
    await symlink(browser, join(fakeBin, name));
  }

  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    MCP_OAUTH_STORE: 'file',
    MCP_OAUTH_DIR: storeDir,
    NO_COLOR: '1',
    BROWSER: 'none',
  };
  const callbackPort = await freePort();
  // BROWSER stays set on warm runs: a re-authorization would show in the visit count below.
  const remoteEnv = {
    PATH: `${fakeBin}:${process.env.PATH}`,
    HOME: dir,
    MCP_REMOTE_CONFIG_DIR: remoteConfigDir,
    NO_COLOR: '1',
    BROWSER: browser,
    BENCH_BROWSER_LOG: remoteBrowserLog,
  };
  const oursArgs = [cli, 'proxy', 'bench', '--silent'];
  const remoteArgs = [
    remoteBin,
    started.mcpUrl,
    String(callbackPort),
    '--host',
    '127.0.0.1',
    '--auth-timeout',
    '60',
    '--silent',
  ];

  // Log both in once.
  const login = spawnSync(process.execPath, [cli, 'login', started.mcpUrl, '--name', 'bench'], {
    env: { ...env, BROWSER: browser, BENCH_BROWSER_LOG: oursBrowserLog },
    encoding: 'utf8',
    timeout: LOGIN_TIMEOUT,
  });
  if (login.status !== 0) throw new Error(`mcp-oauth login failed: ${login.error ?? login.stderr}`);
  {
    const first = await connectStdio('bench-remote-login', remoteArgs, remoteEnv, LOGIN_TIMEOUT);
    try {
      await withTimeout(first.client.listTools(), STEP_TIMEOUT, 'mcp-remote first tools/list');
    } finally {
      await first.close();
    }
    const tokens = await findFiles(remoteConfigDir, '_tokens.json');
    if (tokens.length === 0) {
      throw new Error(`mcp-remote's first run stored no tokens in ${remoteConfigDir}`);
    }
  }
  const loginVisits = {
    ours: await browserCount(oursBrowserLog),
    remote: await browserCount(remoteBrowserLog),
  };

  console.log(
    `mcp-remote ${remotePackage.version}: \`node <mcp-remote>/${remotePackage.bin['mcp-remote']} <url> ${callbackPort} --host 127.0.0.1 --silent\` ` +
      '(its bin run with node directly, not through npx, so npx start-up is not counted against it); ' +
      `ours: \`node packages/cli/${cliPackage.bin['mcp-oauth']} proxy bench --silent\`\n`,
  );

  // 1. added latency per tools/call
  const { createOAuthClient } = await import(pathToFileURL(core).href);
  const { fileStore } = await import(pathToFileURL(storeFile).href);
  const { createFetch } = await import(pathToFileURL(transportFetch).href);
  const oauth = createOAuthClient({
    serverUrl: started.mcpUrl,
    store: fileStore({ directory: storeDir }),
    fetch: createFetch(),
  });
  const direct = new Client({ name: 'bench-direct', version: '0' });
  clients.add(direct);
  await withTimeout(
    direct.connect(
      new StreamableHTTPClientTransport(new URL(started.mcpUrl), { fetch: oauth.fetch }),
    ),
    STEP_TIMEOUT,
    'direct connect',
  );
  const bridged = await connectStdio('bench-bridged', oursArgs, env);
  const remote = await connectStdio('bench-remote', remoteArgs, remoteEnv);
  const paths = [
    { name: 'SDK Client → oauth.fetch → server', client: direct, times: [] },
    { name: 'SDK Client → stdio → mcp-oauth proxy → server', client: bridged.client, times: [] },
    { name: 'SDK Client → stdio → mcp-remote → server', client: remote.client, times: [] },
  ];
  const call = async (client, i) => {
    const t = performance.now();
    await client.callTool({ name: 'add', arguments: { a: i, b: 1 } }, undefined, {
      timeout: STEP_TIMEOUT,
    });
    return performance.now() - t;
  };
  for (let i = 0; i < Math.min(50, CALLS); i++) {
    for (const path of paths) await call(path.client, i);
  }
  for (let i = 0; i < CALLS; i++) {
    // rotate the order so that no path is always first or last in a round
    for (let k = 0; k < paths.length; k++) {
      const path = paths[(i + k) % paths.length];
      path.times.push(await call(path.client, i));
    }
  }
  clients.delete(direct);
  await direct.close();
  await bridged.close();
  await remote.close();
  const [viaDirect, viaOurs, viaRemote] = paths.map((p) => p.times);
  console.log(`tools/call, ${CALLS} calls each, rotating (Streamable HTTP, JSON responses)\n`);
  console.log('| path | median | p90 | added vs direct (median) |');
  console.log('|---|---|---|---|');
  for (const p of paths) {
    const added = p.times === viaDirect ? '—' : ms(median(p.times) - median(viaDirect));
    console.log(
      `| ${p.name} | ${ms(median(p.times))} | ${ms(percentile(p.times, 0.9))} | ${added} |`,
    );
  }
  const added = median(viaOurs) - median(viaDirect);
  const addedRemote = median(viaRemote) - median(viaDirect);
  console.log(
    `\nadded by mcp-oauth proxy: ${ms(added)} median (aim ≤ 1 ms: ${added <= 1 ? 'met' : 'missed'}); ` +
      `by mcp-remote: ${ms(addedRemote)}\n`,
  );

  // 2. warm start-up to the first tools/list answer
  // the floor: the SDK transports alone, resolved from here (the same SDK as the CLI's)
  const sdkTransports =
    "import '@modelcontextprotocol/sdk/server/stdio.js'; import '@modelcontextprotocol/sdk/client/streamableHttp.js';";
  const benchDir = fileURLToPath(new URL('.', import.meta.url));
  const floorBundle = join(dir, 'sdk-transports.mjs');
  await build({
    stdin: { contents: sdkTransports, resolveDir: benchDir },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile: floorBundle,
    logLevel: 'warning',
  });
  // the same SDK transports as one CommonJS file, and a program that loads a CommonJS bundle as
  // src/require-with-code-cache.ts does: compiled from its V8 code cache (written by the first,
  // warm-up, run) and evaluated. The least any bridge on these transports pays before it reads
  // its first message.
  const floorCommonJs = join(dir, 'sdk-transports.cjs');
  await build({
    stdin: { contents: sdkTransports, resolveDir: benchDir },
    bundle: true,
    minify: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: floorCommonJs,
    logLevel: 'warning',
  });
  const fromCodeCache = async (name, file) => {
    const loader = join(dir, `${name}.cjs`);
    await writeFile(
      loader,
      `const { readFileSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');
const file = ${JSON.stringify(file)};
const cacheFile = ${JSON.stringify(join(dir, `${name}.v8`))};
let cachedData;
try { cachedData = readFileSync(cacheFile); } catch {}
const script = new Script('(function (exports, require, module, __filename, __dirname, __lazy) {' + readFileSync(file, 'utf8') + '\\n})', { filename: file, cachedData });
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, require('node:module').createRequire(file), bundle, file, ${JSON.stringify(dirname(file))}, (s) => import(s));
if (!cachedData) writeFileSync(cacheFile, script.createCachedData());
`,
    );
    return loader;
  };
  const transportsFloor = await fromCodeCache('sdk-transports-floor', floorCommonJs);
  // the bridge's own bundle, loaded the same way
  const bundleFloor = await fromCodeCache(
    'proxy-bundle-floor',
    join(root, 'packages/cli/dist/proxy.cjs'),
  );
  const startup = (name, args, environment) => async () => {
    const t = performance.now();
    const session = await connectStdio(name, args, environment);
    try {
      await withTimeout(session.client.listTools(), STEP_TIMEOUT, `${name}: tools/list`);
      return performance.now() - t;
    } finally {
      await session.close();
    }
  };
  const transportsCase = {
    name: 'floor: the SDK transports alone, bundled as CommonJS, from their code cache',
    run: () => spawnTimed([transportsFloor], env),
  };
  const cases = [
    { name: 'bare `node -e 0`', run: () => spawnTimed(['-e', '0'], env) },
    {
      name: 'mcp-oauth proxy: spawn → first tools/list answer',
      run: startup('bench-startup-ours', oursArgs, env),
    },
    {
      name: 'mcp-remote: spawn → first tools/list answer',
      run: startup('bench-startup-remote', remoteArgs, remoteEnv),
    },
    // for reference: what any of our commands costs before it does anything
    { name: 'mcp-oauth --version', run: () => spawnTimed([cli, '--version'], env) },
    {
      name: 'floor: the SDK transports alone (import, exit)',
      run: () => spawnTimed(['--input-type=module', '-e', sdkTransports], env, benchDir),
    },
    {
      name: 'floor: the SDK transports alone, bundled (one minified file)',
      run: () => spawnTimed([floorBundle], env),
    },
    transportsCase,
    {
      name: "floor: the bridge's bundle (dist/proxy.cjs) from its code cache, evaluated, no request",
      run: () => spawnTimed([bundleFloor], env),
    },
  ];
  for (const c of cases) await c.run(); // warm the file system cache
  for (const c of cases) c.times = [];
  for (let i = 0; i < RUNS; i++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(i + k) % cases.length];
      c.times.push(await c.run());
    }
  }
  const [bare, ours, theirs] = cases.map((c) => median(c.times));
  console.log(`warm start-up (stored tokens), ${RUNS} runs each, rotating\n`);
  console.log('| case | median | p90 | minus bare | ÷ bare |');
  console.log('|---|---|---|---|---|');
  for (const c of cases) {
    const m = median(c.times);
    console.log(
      `| ${c.name} | ${m.toFixed(0)} ms | ${percentile(c.times, 0.9).toFixed(0)} ms | ${(m - bare).toFixed(0)} ms | ${(m / bare).toFixed(2)}x |`,
    );
  }
  const ratio = ours / theirs;
  console.log(
    `\nratio of medians mcp-oauth proxy / mcp-remote: ${ratio.toFixed(2)} (aim ≤ 0.5: ${ratio <= 0.5 ? 'met' : 'missed'}); ` +
      `above bare node: ${((ours - bare) / (theirs - bare)).toFixed(2)}`,
  );
  const transports = median(transportsCase.times);
  console.log(
    `start-up ÷ bare node: ${(ours / bare).toFixed(2)}x (aim ≤ 1.5x: ${ours / bare <= 1.5 ? 'met' : 'missed'}); ` +
      `the SDK transports alone, from their code cache: ${(transports / bare).toFixed(2)}x`,
  );
  const visits = {
    ours: await browserCount(oursBrowserLog),
    remote: await browserCount(remoteBrowserLog),
  };
  console.log(
    `browser consents: mcp-oauth ${visits.ours}, mcp-remote ${visits.remote} (1 each at login expected` +
      `${visits.ours === loginVisits.ours && visits.remote === loginVisits.remote ? '; none during the runs' : '; MORE DURING THE RUNS: figures include re-authorization'})`,
  );
} finally {
  await cleanup();
}
