import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AuthServer,
  type McpTestServer,
  startAuthorizationServer,
  startMcpServer,
} from '@mcp-oauth/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runInChromium } from '../src/browser.ts';
import {
  chromiumPath,
  clientDir,
  missingMessage,
  packageDir,
  root,
  run,
  runtimes,
} from '../src/runtimes.ts';
import { type PageServer, startPageServer } from '../src/static-server.ts';

/**
 * One end-to-end flow per runtime, through core's BUILT output: discovery (RFC 9728 + RFC 8414),
 * dynamic registration, authorization code + PKCE, refresh(), then MCP tools/call requests with
 * the client's authorized fetch. The servers (oidc-provider, the official SDK's MCP server)
 * run here on the machine's Node; the client runs in the runtime under test.
 */

interface FlowResult {
  runtime: string;
  core: string;
  entries: Record<string, { url: string; exports: number }>;
  issuer: string;
  resource: string;
  clientId: string;
  hasRefreshToken: boolean;
  refreshed: boolean;
  echo: string;
  whoami: { sub: string; client_id: string; scopes: string[] };
  events: string[];
}

const TIMEOUT_MS = 60_000;

/** Core's entry points, `@mcp-oauth/core/flow` → `flow.js`, from its package.json `exports`. */
const coreEntries = Object.entries(
  (
    JSON.parse(readFileSync(join(root, 'packages', 'core', 'package.json'), 'utf8')) as {
      exports: Record<string, string | { default: string }>;
    }
  ).exports,
).flatMap(([subpath, target]) =>
  typeof target === 'object'
    ? [[`@mcp-oauth/core${subpath.slice(1)}`, target.default.replace(/^\.\/dist\//, '')] as const]
    : [],
);

// oidc-provider answers no CORS on its registration endpoint (RFC 7591 from a web page is
// blocked by the browser: "Failed to fetch"), so the page uses a client pre-registered for its
// own callback; every other endpoint (discovery, token, the MCP server) is called
// cross-origin from the page, as a web app would.
const BROWSER_CLIENT_ID = 'runtimes-browser-page';

let pages: PageServer;
let as: AuthServer;
let mcp: McpTestServer;

beforeAll(async () => {
  pages = await startPageServer();
  as = await startAuthorizationServer({
    clients: [
      {
        client_id: BROWSER_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${pages.url}/callback`],
      },
    ],
  });
  mcp = await startMcpServer({ authServer: as });
});
afterAll(async () => {
  await mcp?.close();
  await as?.close();
  await pages?.close();
});
beforeEach(() => {
  as.resetStats();
  mcp.resetStats();
});

function expectFlow(
  result: FlowResult,
  runtime: RegExp,
  registration: 'dynamic-registration' | 'pre-registered' = 'dynamic-registration',
) {
  console.log(
    `${result.runtime}: ${JSON.stringify({ core: result.core, events: result.events, echo: result.echo })}`,
  );
  expect(result.runtime).toMatch(runtime);
  expect(result.core).toMatch(/\/core\/(dist\/)?index\.js$/);
  // every entry point resolves to its built file (in Chromium, through the page's import map)
  // and loads
  expect(Object.keys(result.entries).sort()).toEqual(coreEntries.map(([s]) => s).sort());
  for (const [specifier, file] of coreEntries) {
    expect(result.entries[specifier]?.url, specifier).toMatch(
      new RegExp(`/core/(dist/)?${file.replace('.', '\\.')}$`),
    );
    expect(result.entries[specifier]?.exports, specifier).toBeGreaterThan(0);
  }
  expect(result.issuer).toBe(as.issuer);
  expect(result.resource).toBe(mcp.url);
  expect(result.hasRefreshToken).toBe(true);
  expect(result.refreshed).toBe(true);
  expect(result.echo).toMatch(/^hello from /);
  expect(result.whoami).toMatchObject({ sub: 'user-1', client_id: result.clientId });
  // core emits `registered` when it registers; a pre-registered client is simply used
  const registered =
    registration === 'dynamic-registration' ? ['registered:dynamic-registration'] : [];
  expect(result.events).toEqual([
    'discovery',
    ...registered,
    'authorization_started',
    'authorized',
    'refreshed',
  ]);
  // what the servers saw: one registration, one code exchange, one refresh, and two MCP calls
  // carrying one bearer token, the refreshed one, accepted. The
  // browser also sends one CORS preflight (no token) to the MCP endpoint.
  expect(as.stats.registrations).toBe(registration === 'dynamic-registration' ? 1 : 0);
  expect(as.stats.authorizations).toBe(1);
  expect(as.stats.tokenRequests).toEqual({ authorization_code: 1, refresh_token: 1 });
  expect(as.stats.refreshSuccess).toBe(1);
  // one 401: the unauthenticated initialize with which authorize() reads the server's challenge
  // (MCP scope selection); none for the calls (the client held the token)
  expect(mcp.stats.unauthorized).toBe(1);
  expect(Object.values(mcp.stats.tokens)).toEqual([2]);
  expect(mcp.stats.mcpRequests).toBeGreaterThanOrEqual(2);
}

describe('core runs the authorization flow on every runtime it claims', () => {
  for (const runtime of runtimes) {
    it(runtime.name, async () => {
      const missing = missingMessage(runtime.bin);
      if (missing) throw new Error(missing);
      const { code, stdout, stderr } = await run(
        runtime.bin,
        runtime.args(join(clientDir, 'cli.mjs'), mcp.url),
        {
          cwd: packageDir,
          ...(runtime.env ? { env: runtime.env } : {}),
          timeoutMs: TIMEOUT_MS,
        },
      );
      if (code !== 0) throw new Error(`${runtime.name} exited ${code}:\n${stderr}\n${stdout}`);
      const line = stdout.trim().split('\n').pop() ?? '';
      expectFlow(JSON.parse(line) as FlowResult, runtime.reports);
    });
  }

  it('chromium (headless, core as a browser module; pre-registered client, consent in a popup)', async () => {
    const missing = missingMessage(chromiumPath);
    if (missing) throw new Error(missing);
    const { result, version, consoleErrors, popupLog } = await runInChromium({
      pages,
      mcpUrl: mcp.url,
      client: { clientId: BROWSER_CLIENT_ID, issuer: as.issuer },
      timeoutMs: TIMEOUT_MS,
    });
    console.log(`chromium ${version}`);
    expectFlow(result as FlowResult, /Chrome\//, 'pre-registered');
    // the one 401 the flow asks for: authorize() reads the MCP server's challenge first (the
    // browser reports it twice, as a response and in its console); nothing else may fail
    const probe = (line: string) => line === `HTTP 401 ${mcp.url}` || /status of 401/.test(line);
    expect(consoleErrors.filter((line) => !probe(line))).toEqual([]);
    expect(consoleErrors.filter(probe).length).toBeLessThanOrEqual(2);
    // the browser itself walked the authorization server's pages and came back with a code
    expect(popupLog[0]).toMatch(new RegExp(`^${as.issuer}/auth\\?`));
    expect(popupLog.at(-1)).toMatch(new RegExp(`^${pages.url}/callback\\?code=`));
  });
});
