#!/usr/bin/env node
/**
 * mcp-oauth-test-servers: starts the test authorization server and MCP server with default
 * options, prints one JSON line on stdout, and stays up until SIGTERM/SIGINT or until stdin
 * closes (when stdin is a pipe). Used by multi-process tests and the demo.
 *
 *   {"issuer":"http://127.0.0.1:P1","mcpUrl":"http://127.0.0.1:P2/mcp","resourceMetadataUrl":...,
 *    "controlUrl":"http://127.0.0.1:P3","pid":123}
 *
 * `GET <controlUrl>/stats` returns both servers' counters; `POST <controlUrl>/reset` zeroes them.
 */
import { fstatSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startAuthorizationServer } from './auth-server.ts';
import { listenLoopback } from './listen.ts';
import { startMcpServer } from './mcp-server.ts';

const USAGE = `usage: mcp-oauth-test-servers [--as-port N] [--mcp-port N] [--issuer-path /realms/demo]
  [--access-token-ttl SECONDS] [--no-refresh-rotation] [--required-scopes "a b"] [--deny-consent]`;

async function main(): Promise<void> {
  // oidc-provider prints notices with console.info: keep stdout for the JSON line only.
  console.info = console.error;
  const { values } = parseArgs({
    options: {
      'as-port': { type: 'string' },
      'mcp-port': { type: 'string' },
      'issuer-path': { type: 'string' },
      'access-token-ttl': { type: 'string' },
      'no-refresh-rotation': { type: 'boolean' },
      'required-scopes': { type: 'string' },
      'deny-consent': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const authServer = await startAuthorizationServer({
    port: number(values['as-port']),
    issuerPath: values['issuer-path'],
    accessTokenTtlSeconds: number(values['access-token-ttl']),
    refreshTokenRotation: !values['no-refresh-rotation'],
    denyConsent: values['deny-consent'] ?? false,
  });
  const mcp = await startMcpServer({
    authServer,
    port: number(values['mcp-port']),
    requiredScopes: values['required-scopes']?.split(' ').filter(Boolean) ?? [],
  });
  const control = await listenLoopback(0);
  control.setHandler((req, res) => {
    if (req.method === 'GET' && req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ authServer: authServer.stats, mcp: mcp.stats }));
    } else if (req.method === 'POST' && req.url === '/reset') {
      authServer.resetStats();
      mcp.resetStats();
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all([mcp.close(), authServer.close(), control.close()]);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const stdin = fstatSync(0);
  if (stdin.isFIFO() || stdin.isSocket()) {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }

  process.stdout.write(
    `${JSON.stringify({
      issuer: authServer.issuer,
      mcpUrl: mcp.url,
      resourceMetadataUrl: mcp.resourceMetadataUrl,
      controlUrl: control.origin,
      pid: process.pid,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `mcp-oauth-test-servers: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
