#!/usr/bin/env node
import { startVaultServer } from './server.ts';

/**
 * Starts one Vault test server that several processes can share and prints
 * `{"url": ..., "rootToken": ..., "approle": {...}, "kubernetes": {...}}` as one JSON
 * line on stdout. Options: `--port N`, `--mount NAME`, `--root-token T`. Stops on
 * SIGTERM/SIGINT, and with `--exit-on-stdin-close` when stdin closes (so a parent
 * holding a pipe to it takes it along when it dies).
 */
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

const port = arg('port');
const mount = arg('mount');
const rootToken = arg('root-token');
const server = await startVaultServer({
  ...(port ? { port: Number(port) } : {}),
  ...(mount ? { mount } : {}),
  ...(rootToken ? { rootToken } : {}),
});
process.stdout.write(
  `${JSON.stringify({ url: server.url, rootToken: server.rootToken, approle: server.approle, kubernetes: server.kubernetes })}\n`,
);

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.argv.includes('--exit-on-stdin-close')) {
  process.stdin.on('end', stop);
  process.stdin.resume();
}
