/**
 * The demo, on embedded defaults: a local authorization server (oidc-provider) and a local
 * OAuth-protected MCP server (the official SDK) on 127.0.0.1, then the `mcp-oauth` CLI logs in
 * through its loopback receiver (a stand-in browser approves consent), calls tools with the
 * official SDK client, refreshes, and logs out with revocation. Tokens are never printed.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createOAuthClient } from '@mcp-oauth/core';
import { fileStore } from '@mcp-oauth/store-file';
import { startAuthorizationServer, startMcpServer } from '@mcp-oauth/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('@mcp-oauth/cli/package.json')), 'dist', 'index.js');
const testServers = require.resolve('@mcp-oauth/testing');
const say = (line = '') => process.stdout.write(`${line}\n`);

/** A stand-in browser: walks the consent pages (approved automatically) and follows the redirect. */
function writeBrowser(dir: string): string {
  const path = join(dir, 'browser.mjs');
  writeFileSync(
    path,
    `#!${process.execPath}
import { completeAuthorization } from ${JSON.stringify(testServers)};
const callback = await completeAuthorization(process.argv[2]);
await fetch(callback);
`,
  );
  chmodSync(path, 0o700);
  return path;
}

async function main() {
  const as = await startAuthorizationServer({ accessTokenTtlSeconds: 300 });
  const mcp = await startMcpServer({ authServer: as });
  const home = mkdtempSync(join(tmpdir(), 'mcp-oauth-demo-'));
  const env = {
    ...process.env,
    HOME: home,
    MCP_OAUTH_STORE: 'file',
    MCP_OAUTH_DIR: join(home, 'store'),
    BROWSER: writeBrowser(home),
    NO_COLOR: '1',
  };
  // The servers run in this process: the CLI must run alongside, never blocking the event loop.
  const run = async (args: string[], options: { secret?: boolean } = {}) => {
    say(`\n$ mcp-oauth ${args.join(' ')}`);
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        const child = spawn(process.execPath, [cli, ...args], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      },
    );
    const out = options.secret
      ? `(a token of ${result.stdout.trim().length} characters; printed only for scripts)`
      : result.stdout.trimEnd();
    if (result.stderr.trim()) say(result.stderr.trimEnd().replace(/^/gm, '  '));
    if (out) say(out);
    if (result.status !== 0) throw new Error(`mcp-oauth ${args[0]} exited with ${result.status}`);
  };
  say(`authorization server: ${as.issuer}`);
  say(`MCP server:           ${mcp.url}`);
  try {
    await run(['inspect', mcp.url]);
    await run(['login', mcp.url, '--name', 'demo']);
    await run(['list']);
    await run(['show', 'demo']);
    await run(['test', 'demo']);
    await run(['token', 'demo'], { secret: true });

    // An application using the tokens the CLI stored: the same encrypted store, the official SDK client.
    say(
      '\n$ (an app) createOAuthClient({ serverUrl, store: fileStore(...) }) + the SDK Client: tools/call echo',
    );
    const oauth = createOAuthClient({
      serverUrl: mcp.url,
      store: fileStore({ directory: env.MCP_OAUTH_DIR }),
    });
    const client = new Client({ name: 'mcp-oauth-demo', version: '0.1.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(mcp.url), { fetch: oauth.fetch }),
    );
    const result = await client.callTool({
      name: 'echo',
      arguments: { text: 'hello from mcp-oauth' },
    });
    say(`echo → ${(result.content as { text: string }[])[0]?.text}`);
    await client.close();
    await run(['refresh', 'demo']);
    await run(['logout', 'demo']);
    say(
      `\nThe MCP server saw ${mcp.stats.requests} requests; the authorization server ${as.stats.requests.total}.`,
    );
    say('demo complete');
  } finally {
    await mcp.close();
    await as.close();
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
