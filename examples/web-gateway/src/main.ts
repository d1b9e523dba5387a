// The whole gateway with one command: `pnpm --filter @mcp-oauth/example-web-gateway start`.
// Starts (when not configured) a real authorization server and MCP server to connect to, a
// private Redis (or a file store where redis-server is not installed), two gateway processes,
// and a round-robin proxy in front of them. Prints the URL to open.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startRoundRobinProxy } from './proxy.ts';

const env = process.env;
const cleanups: (() => Promise<void> | void)[] = [];
const say = (line: string) => process.stdout.write(`${line}\n`);

// 1. the MCP server users connect by default: configured, or the embedded test servers
let defaultServerUrl = env.MCP_SERVER_URL;
if (!defaultServerUrl) {
  const { startStack } = await import('@mcp-oauth/testing');
  const stack = await startStack({
    as: { accessTokenTtlSeconds: Number(env.ACCESS_TOKEN_TTL_SECONDS ?? 3600) },
  });
  cleanups.push(() => stack.close());
  defaultServerUrl = stack.mcp.url;
  say(`test servers: MCP ${stack.mcp.url}, authorization server ${stack.as.issuer}`);
}

// 2. the store every process shares: REDIS_URL, else a private redis-server, else files
const storeKey = env.GATEWAY_STORE_KEY ?? randomBytes(32).toString('base64');
const storeEnv: Record<string, string> = { GATEWAY_STORE_KEY: storeKey };
if (env.REDIS_URL) {
  storeEnv.GATEWAY_REDIS_URL = env.REDIS_URL;
  say('store: Redis at REDIS_URL');
} else if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0) {
  const { startRedisServer } = await import('@mcp-oauth/test-redis-server');
  const redis = await startRedisServer();
  cleanups.push(() => redis.close());
  storeEnv.GATEWAY_REDIS_URL = redis.url;
  say(`store: a private redis-server on port ${redis.port}`);
} else {
  const directory = env.STORE_DIR ?? mkdtempSync(join(tmpdir(), 'mcp-web-gateway-'));
  if (!env.STORE_DIR) cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  storeEnv.GATEWAY_STORE_DIR = directory;
  say(`store: files in ${directory} (redis-server is not installed)`);
}

// 3. the proxy first (its URL is the redirect URI), then two gateway processes behind it
const proxy = await startRoundRobinProxy(Number(env.PORT ?? 3000));
cleanups.push(() => proxy.close());
const sessionSecret = env.GATEWAY_SESSION_SECRET ?? randomBytes(32).toString('base64url');
const workerPath = join(dirname(fileURLToPath(import.meta.url)), 'worker.js');

function startWorker(instance: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [workerPath], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...env,
      ...storeEnv,
      GATEWAY_INSTANCE: instance,
      GATEWAY_PUBLIC_URL: proxy.url,
      GATEWAY_SESSION_SECRET: sessionSecret,
      GATEWAY_DEFAULT_SERVER_URL: defaultServerUrl,
    },
  });
  cleanups.push(() => {
    child.stdin?.end();
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const ready = /^ready (\d+)$/.exec(line);
      if (ready) resolve({ child, port: Number(ready[1]) });
      else say(line);
    });
    child.once('exit', (code) => reject(new Error(`${instance} exited with ${code}`)));
  });
}

const workers = await Promise.all(['gateway-a', 'gateway-b'].map(startWorker));
proxy.setBackends(workers.map((w) => w.port));
say(`processes: gateway-a on ${workers[0]?.port}, gateway-b on ${workers[1]?.port}`);
say(`MCP web gateway: ${proxy.url}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  for (const cleanup of cleanups.reverse()) await cleanup();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const { child } of workers) child.once('exit', () => void stop());
