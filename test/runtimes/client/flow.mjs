// The flow every runtime runs, written against Web APIs only (fetch, URL, crypto): the same
// file is loaded by Node, Deno, Bun (through cli.mjs) and by Chromium (through page.html).
// `@mcp-oauth/core` resolves to core's built `dist/index.js`, never to its sources.
import { createOAuthClient, headlessInteraction } from '@mcp-oauth/core';

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
