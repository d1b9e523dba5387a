// Bridge benchmark (a command, not a test): `npm run bench proxy`, or after a build
//   node bench/proxy.mjs [--calls N] [--runs N]
// Against the real test servers (in a child process), logged in once with the CLI:
//   1. added latency per tools/call: the official SDK Client through `mcp-oauth proxy` (stdio)
//      vs the same Client straight to the server over Streamable HTTP with core's `oauth.fetch`
//      (same store, same HTTP layer), calls alternating, medians and the difference
//      (aim: ≤ 1 ms median);
//   2. bridge start-up: spawn → initialize → first tools/list answer with a stored token, vs a
//      bare `node -e 0` process, alternating, ratio of medians.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/cli/dist/index.js');
const servers = join(root, 'test/servers/dist/index.js');
const serversBin = join(root, 'test/servers/dist/cli.js');
const core = join(root, 'packages/core/dist/index.js');
const storeFile = join(root, 'packages/store-file/dist/index.js');
const transportFetch = join(root, 'packages/transport-fetch/dist/index.js');
for (const file of [cli, servers, serversBin, core, storeFile, transportFetch]) {
  if (!existsSync(file)) {
    console.error(`Build first (npm run bench builds): ${file} is missing`);
    process.exit(1);
  }
}
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const CALLS = arg('--calls', 400);
const RUNS = arg('--runs', 15);

const serverProcess = spawn(process.execPath, [serversBin], { stdio: ['pipe', 'pipe', 'ignore'] });
const started = await new Promise((resolve, reject) => {
  let line = '';
  serverProcess.stdout.on('data', (chunk) => {
    line += chunk;
    if (line.includes('\n')) resolve(JSON.parse(line.slice(0, line.indexOf('\n'))));
  });
  serverProcess.once('exit', (code) => reject(new Error(`the test servers exited (${code})`)));
});
const dir = await mkdtemp(join(tmpdir(), 'mcp-oauth-bench-proxy-'));
const storeDir = join(dir, 'store');
const env = {
  PATH: process.env.PATH,
  HOME: dir,
  MCP_OAUTH_STORE: 'file',
  MCP_OAUTH_DIR: storeDir,
  NO_COLOR: '1',
  BROWSER: 'none',
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];
const ms = (x) => `${x.toFixed(3)} ms`;

try {
  const browser = join(dir, 'browser.mjs');
  await writeFile(
    browser,
    `#!${process.execPath}
import { completeAuthorization } from ${JSON.stringify(servers)};
const callback = await completeAuthorization(process.argv[2]);
await fetch(callback);
`,
  );
  await chmod(browser, 0o755);
  const login = spawnSync(process.execPath, [cli, 'login', started.mcpUrl, '--name', 'bench'], {
    env: { ...env, BROWSER: browser },
    encoding: 'utf8',
  });
  if (login.status !== 0) throw new Error(`login failed: ${login.stderr}`);

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
  await direct.connect(
    new StreamableHTTPClientTransport(new URL(started.mcpUrl), { fetch: oauth.fetch }),
  );
  const bridged = new Client({ name: 'bench-bridged', version: '0' });
  await bridged.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'proxy', 'bench', '--silent'],
      env,
    }),
  );
  const call = async (client, i) => {
    const t = performance.now();
    await client.callTool({ name: 'add', arguments: { a: i, b: 1 } });
    return performance.now() - t;
  };
  for (let i = 0; i < 50; i++) {
    await call(direct, i);
    await call(bridged, i);
  }
  const viaDirect = [];
  const viaBridge = [];
  for (let i = 0; i < CALLS; i++) {
    if (i % 2) {
      viaDirect.push(await call(direct, i));
      viaBridge.push(await call(bridged, i));
    } else {
      viaBridge.push(await call(bridged, i));
      viaDirect.push(await call(direct, i));
    }
  }
  await direct.close();
  await bridged.close();
  const added = median(viaBridge) - median(viaDirect);
  console.log(`tools/call, ${CALLS} calls each, alternating (Streamable HTTP, JSON responses)\n`);
  console.log('| path | median | p90 |');
  console.log('|---|---|---|');
  console.log(
    `| SDK Client → oauth.fetch → server | ${ms(median(viaDirect))} | ${ms(percentile(viaDirect, 0.9))} |`,
  );
  console.log(
    `| SDK Client → stdio → mcp-oauth proxy → server | ${ms(median(viaBridge))} | ${ms(percentile(viaBridge, 0.9))} |`,
  );
  console.log(
    `\nadded by the bridge: ${ms(added)} median (aim ≤ 1 ms: ${added <= 1 ? 'met' : 'missed'})\n`,
  );

  // 2. start-up to the first tools/list answer
  const bridgeStartup = async () => {
    const t = performance.now();
    const client = new Client({ name: 'bench-startup', version: '0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cli, 'proxy', 'bench', '--silent'],
        env,
      }),
    );
    await client.listTools();
    const elapsed = performance.now() - t;
    await client.close();
    return elapsed;
  };
  const bare = () =>
    new Promise((resolve, reject) => {
      const t = performance.now();
      const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
      child.once('error', reject);
      child.once('exit', () => resolve(performance.now() - t));
    });
  const version = () =>
    new Promise((resolve, reject) => {
      const t = performance.now();
      const child = spawn(process.execPath, [cli, '--version'], { stdio: 'ignore', env });
      child.once('error', reject);
      child.once('exit', () => resolve(performance.now() - t));
    });
  const cases = [
    { name: 'proxy: spawn → first tools/list answer (stored token)', run: bridgeStartup },
    // for reference: what any command costs before it does anything
    { name: 'mcp-oauth --version', run: version },
  ];
  for (const c of cases) await c.run();
  await bare();
  console.log(
    `start-up, ${RUNS} runs each, alternating with bare \`node -e 0\` (ratio of medians)\n`,
  );
  console.log('| case | median | bare `node -e 0` | ratio |');
  console.log('|---|---|---|---|');
  for (const c of cases) {
    const ours = [];
    const node = [];
    for (let i = 0; i < RUNS; i++) {
      if (i % 2) {
        ours.push(await c.run());
        node.push(await bare());
      } else {
        node.push(await bare());
        ours.push(await c.run());
      }
    }
    console.log(
      `| ${c.name} | ${median(ours).toFixed(0)} ms | ${median(node).toFixed(0)} ms | ${(median(ours) / median(node)).toFixed(2)}x |`,
    );
  }
} finally {
  serverProcess.kill();
  await rm(dir, { recursive: true, force: true });
}
