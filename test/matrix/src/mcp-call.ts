import type { FetchLike } from '@mcp-oauth/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** The official SDK client over Streamable HTTP, with the given fetch or a fixed header. */
export async function connectSdk(
  url: string,
  how: { fetch: FetchLike } | { authorization: string },
): Promise<Client> {
  const client = new Client({ name: 'mcp-oauth-matrix', version: '0.0.0' });
  const transport = new StreamableHTTPClientTransport(
    new URL(url),
    'fetch' in how
      ? { fetch: how.fetch as typeof globalThis.fetch }
      : { requestInit: { headers: { authorization: how.authorization } } },
  );
  await client.connect(transport);
  return client;
}

/** The text of a tools/call result; a tool error throws. */
export function textOf(result: unknown): string {
  const r = result as { isError?: boolean; content?: { type: string; text?: string }[] };
  const text = (r.content ?? []).map((c) => c.text ?? '').join('');
  if (r.isError) throw new Error(`tool error: ${text}`);
  return text;
}

/** One tools/call through a fresh SDK client with a fixed Authorization header. */
export async function callWithHeader(
  url: string,
  authorization: string,
  name: string,
  args: Record<string, unknown> = {},
): Promise<string> {
  const client = await connectSdk(url, { authorization });
  try {
    return textOf(await client.callTool({ name, arguments: args }));
  } finally {
    await client.close();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many distinct access tokens the MCP server has seen. */
export function tokensSeen(stats: { tokens: Record<string, number> }): number {
  return Object.keys(stats.tokens).length;
}
