import { type FetchLike, McpOAuthError } from '@mcp-oauth/core';
import { parseWwwAuthenticate } from '@mcp-oauth/core/flow';
import type { InspectReport } from './report.ts';

/** Sends an MCP initialize without a token and reads the 401 challenge (RFC 6750 §3, RFC 9728 §5.1). */
export async function probeEndpoint(
  fetch: FetchLike,
  serverUrl: string,
): Promise<InspectReport['challenge']> {
  let response: Response;
  try {
    response = await fetch(serverUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'mcp-oauth-inspect', version: '0' },
        },
      }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (cause) {
    throw new McpOAuthError(
      'network_error',
      `${serverUrl} could not be reached: ${(cause instanceof Error ? cause.message : String(cause)).replace(/\.$/, '')}.`,
      { cause },
    );
  }
  await response.body?.cancel().catch(() => {});
  const header = response.headers.get('www-authenticate') ?? undefined;
  const challenges = parseWwwAuthenticate(header ?? null);
  const dpop = challenges.find((c) => c.scheme === 'dpop');
  const challenge = challenges.find((c) => c.scheme === 'bearer') ?? dpop;
  return {
    status: response.status,
    wwwAuthenticate: header,
    scheme: challenge?.scheme,
    resourceMetadata: challenge?.params.resource_metadata,
    scope: challenge?.params.scope,
    error: challenge?.params.error,
    dpopAlgs: dpop ? (dpop.params.algs?.split(' ').filter(Boolean) ?? []) : undefined,
  };
}
