import type { FetchLike } from '@mcp-oauth/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export { type Stack, startStack } from '@mcp-oauth/testing';

/** A fetch that records every request it sends (method, URL without query), for counting. */
export function recordingFetch(inner: FetchLike = (i, init) => fetch(i, init)) {
  const log: string[] = [];
  const wrapped: FetchLike = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    log.push(`${method} ${url.origin}${url.pathname}`);
    return inner(input, init);
  };
  return { fetch: wrapped, log };
}

/** The official SDK client over Streamable HTTP, with the given fetch. */
export async function connectSdk(url: string, fetch: FetchLike): Promise<Client> {
  const client = new Client({ name: 'mcp-oauth-e2e', version: '0.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { fetch: fetch as typeof globalThis.fetch }),
  );
  return client;
}

export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? '').join('');
}
