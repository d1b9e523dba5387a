// The flow every runtime runs, written against Web APIs only (fetch, URL, crypto): the same
// file is loaded by Node, Deno, Bun (through cli.mjs) and by Chromium (through page.html).
// `@mcp-oauth/core` resolves to core's built `dist/index.js`, never to its sources, and each of
// its subpath entries (`@mcp-oauth/core/flow`, ...) to its own built file.
import * as core from '@mcp-oauth/core';
import * as clientCredentials from '@mcp-oauth/core/client-credentials';
import * as device from '@mcp-oauth/core/device';
import * as dpop from '@mcp-oauth/core/dpop';
import * as enterprise from '@mcp-oauth/core/enterprise';
import * as flow from '@mcp-oauth/core/flow';
import * as management from '@mcp-oauth/core/management';
import * as privateKeyJwt from '@mcp-oauth/core/private-key-jwt';
import * as servers from '@mcp-oauth/core/servers';
import * as store from '@mcp-oauth/core/store';
import * as workload from '@mcp-oauth/core/workload';

const { createOAuthClient } = core;
const { headlessInteraction } = flow;

/**
 * Core's entry points (its package.json `exports`), imported statically (a computed dynamic
 * import would need Deno's read permission): each must resolve and load here too.
 */
const CORE_ENTRIES = {
  '@mcp-oauth/core': core,
  '@mcp-oauth/core/flow': flow,
  '@mcp-oauth/core/device': device,
  '@mcp-oauth/core/client-credentials': clientCredentials,
  '@mcp-oauth/core/dpop': dpop,
  '@mcp-oauth/core/enterprise': enterprise,
  '@mcp-oauth/core/management': management,
  '@mcp-oauth/core/private-key-jwt': privateKeyJwt,
  '@mcp-oauth/core/servers': servers,
  '@mcp-oauth/core/store': store,
  '@mcp-oauth/core/workload': workload,
};

/**
 * Discovery, dynamic registration (unless `client` is pre-registered), authorization code +
 * PKCE (through `interaction`, default core's headlessInteraction), refresh(), then two MCP
 * tools/call requests through the client's authorized fetch. Returns a plain JSON value;
 * throws on any failure.
 *
 * @param {{ mcpUrl: string, runtime: string, interaction?: import('@mcp-oauth/core').Interaction, client?: import('@mcp-oauth/core').ClientConfig }} options
 */
export async function runFlow({ mcpUrl, runtime, interaction, client: clientConfig }) {
  const events = [];
  const client = createOAuthClient({
    serverUrl: mcpUrl,
    interaction: interaction ?? headlessInteraction({ redirectUri: 'http://127.0.0.1:1/callback' }),
    ...(clientConfig ? { client: clientConfig } : {}),
    onEvent: (event) =>
      events.push(event.type === 'registered' ? `registered:${event.source}` : event.type),
  });

  const authorized = await client.authorize();
  const firstToken = await client.getAccessToken();
  const refreshed = await client.refresh();
  const secondToken = await client.getAccessToken();

  const echo = await callTool(client.fetch, mcpUrl, 'echo', { text: `hello from ${runtime}` });
  const whoami = JSON.parse(await callTool(client.fetch, mcpUrl, 'whoami', {}));

  return {
    runtime,
    core: import.meta.resolve('@mcp-oauth/core'),
    entries: entryPoints(),
    issuer: authorized.issuer,
    resource: authorized.resource,
    clientId: authorized.clientId,
    hasRefreshToken: authorized.hasRefreshToken,
    refreshed: secondToken !== firstToken && refreshed.obtainedAt >= authorized.obtainedAt,
    echo,
    whoami,
    events,
  };
}

/** Where each of core's entry points resolves, and how many values it exports. */
function entryPoints() {
  return Object.fromEntries(
    Object.entries(CORE_ENTRIES).map(([specifier, module]) => [
      specifier,
      { url: import.meta.resolve(specifier), exports: Object.keys(module).length },
    ]),
  );
}

let nextId = 1;

/** A JSON-RPC tools/call over Streamable HTTP (stateless server, JSON responses); returns the first text content. */
async function callTool(fetch, mcpUrl, name, args) {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: nextId++,
      method: 'tools/call',
      params: { name, arguments: args },
    }),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`tools/call ${name}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  const message = JSON.parse(text);
  if (message.error) throw new Error(`tools/call ${name}: ${JSON.stringify(message.error)}`);
  const content = message.result?.content?.find((c) => c.type === 'text');
  if (!content) throw new Error(`tools/call ${name}: no text content in ${text.slice(0, 300)}`);
  return content.text;
}
