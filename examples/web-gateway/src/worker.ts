// One gateway process. Started by main.ts (twice, behind the proxy), configured by environment
// variables; prints `ready <port>` when it listens. Exits when its stdin closes, so that it
// never outlives the launcher.
import { serve } from '@hono/node-server';
import { createGateway } from './app.ts';
import { openStores, type StoreBackend } from './stores.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (start the gateway with main.js)`);
  return value;
}

const instance = required('GATEWAY_INSTANCE');
const encryptionKey = required('GATEWAY_STORE_KEY');
const backend: StoreBackend = process.env.GATEWAY_REDIS_URL
  ? { kind: 'redis', url: process.env.GATEWAY_REDIS_URL, encryptionKey }
  : { kind: 'file', directory: required('GATEWAY_STORE_DIR'), encryptionKey };
const stores = await openStores(backend);
const log = (line: string) => process.stdout.write(`[${instance}] ${line}\n`);

const app = createGateway({
  instance,
  publicUrl: required('GATEWAY_PUBLIC_URL'),
  sessionSecret: required('GATEWAY_SESSION_SECRET'),
  stores,
  defaultServerUrl: process.env.GATEWAY_DEFAULT_SERVER_URL ?? '',
  log,
});

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.stdout.write(`ready ${info.port}\n`);
});

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  server.close();
  await stores.close().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.resume();
