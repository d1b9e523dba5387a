import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthServer,
  type McpTestServer,
  obtainTokens,
  startAuthorizationServer,
  startMcpServer,
} from '../src/index.ts';
import type { Json } from './helpers.ts';

function rpc(method: string, params: Json = {}, id = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params });
}

async function post(mcp: McpTestServer, body: string, token?: string) {
  const response = await fetch(mcp.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    body: text ? (JSON.parse(text) as Json) : {},
  };
}

describe('startMcpServer', () => {
  let as: AuthServer;
  let mcp: McpTestServer;
  let readToken: string;

  beforeAll(async () => {
    as = await startAuthorizationServer();
    mcp = await startMcpServer({ authServer: as });
    readToken = (await obtainTokens({ issuer: as.issuer, resource: mcp.url, scope: 'mcp:read' }))
      .accessToken;
  });
  afterAll(async () => {
    await mcp.close();
    await as.close();
  });

  it('answers 401 with a challenge naming the resource metadata, which is RFC 9728', async () => {
    mcp.resetStats();
    const response = await post(mcp, rpc('tools/list'));
    expect(response.status).toBe(401);
    expect(response.challenge).toMatch(/^Bearer error="invalid_token"/);
    expect(response.challenge).toContain(`resource_metadata="${mcp.resourceMetadataUrl}"`);
    expect(mcp.resourceMetadataUrl).toBe(
      `http://127.0.0.1:${mcp.port}/.well-known/oauth-protected-resource/mcp`,
    );
    const metadata = (await (await fetch(mcp.resourceMetadataUrl)).json()) as Json;
    expect(metadata).toMatchObject({
      resource: mcp.url,
      authorization_servers: [as.issuer],
      scopes_supported: ['mcp:read', 'mcp:write'],
    });
    expect(mcp.stats).toMatchObject({ requests: 2, unauthorized: 1, authorizationHeaders: 0 });
  });

  it('lists and calls tools with a valid token, and counts the token by hash', async () => {
    mcp.resetStats();
    const list = await post(mcp, rpc('tools/list'), readToken);
    expect(list.status).toBe(200);
    const tools = (list.body.result as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(tools.sort()).toEqual(['add', 'admin_reset', 'echo', 'whoami']);
    const whoami = await post(mcp, rpc('tools/call', { name: 'whoami', arguments: {} }), readToken);
    const text = (whoami.body.result as { content: { text: string }[] }).content[0]?.text;
    expect(JSON.parse(String(text))).toMatchObject({ sub: 'user-1', scopes: ['mcp:read'] });
    const add = await post(
      mcp,
      rpc('tools/call', { name: 'add', arguments: { a: 2, b: 3 } }),
      readToken,
    );
    expect(add.body.result).toMatchObject({ content: [{ type: 'text', text: '5' }] });
    expect(mcp.tokenSeen(readToken)).toBe(3);
    expect(mcp.tokenSeen('another-token')).toBe(0);
    expect(JSON.stringify(mcp.stats)).not.toContain(readToken);
  });

  it('answers 403 insufficient_scope with the needed scopes for admin_reset', async () => {
    mcp.resetStats();
    const call = rpc('tools/call', { name: 'admin_reset', arguments: {} });
    const denied = await post(mcp, call, readToken);
    expect(denied.status).toBe(403);
    expect(denied.challenge).toBe(
      `Bearer error="insufficient_scope", scope="mcp:read mcp:admin", resource_metadata="${mcp.resourceMetadataUrl}", error_description="tool admin_reset requires scope mcp:admin"`,
    );
    const admin = await obtainTokens({
      issuer: as.issuer,
      resource: mcp.url,
      scope: 'mcp:read mcp:admin',
    });
    const allowed = await post(mcp, call, admin.accessToken);
    expect(allowed.status).toBe(200);
    expect(allowed.body.result).toMatchObject({ content: [{ text: 'reset' }] });
    expect(mcp.stats.forbidden).toBe(1);
  });

  it('refuses a token issued for another resource', async () => {
    const other = await obtainTokens({ issuer: as.issuer, resource: 'http://127.0.0.1:1/mcp' });
    const response = await post(mcp, rpc('tools/list'), other.accessToken);
    expect(response.status).toBe(401);
    expect(response.challenge).toContain('error="invalid_token"');
  });

  it('refuses an expired token', async () => {
    const shortLived = await startAuthorizationServer({ accessTokenTtlSeconds: 1 });
    const server = await startMcpServer({ authServer: shortLived });
    try {
      const { accessToken } = await obtainTokens({
        issuer: shortLived.issuer,
        resource: server.url,
      });
      expect((await post(server, rpc('tools/list'), accessToken)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const expired = await post(server, rpc('tools/list'), accessToken);
      expect(expired.status).toBe(401);
      expect(expired.challenge).toContain("'exp' claim timestamp check failed");
      // the challenge stays whole: jose's quotes would end error_description early
      expect(expired.challenge).toMatch(/, resource_metadata="[^"]+"$/);
    } finally {
      await Promise.all([server.close(), shortLived.close()]);
    }
  });

  it('works with the official SDK client, with JSON and with SSE responses', async () => {
    const sse = await startMcpServer({ authServer: as, jsonResponse: false });
    try {
      const sseToken = (await obtainTokens({ issuer: as.issuer, resource: sse.url })).accessToken;
      for (const [server, token] of [
        [mcp, readToken],
        [sse, sseToken],
      ] as const) {
        const client = new Client({ name: 'fixture-test', version: '0.0.0' });
        const transport = new StreamableHTTPClientTransport(new URL(server.url), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        });
        await client.connect(transport);
        const result = await client.callTool({ name: 'echo', arguments: { text: 'hello' } });
        expect(result.content).toEqual([{ type: 'text', text: 'hello' }]);
        await client.close();
      }
      expect(sse.tokenSeen(sseToken)).toBeGreaterThan(0);
      expect(sse.stats.unauthorized).toBe(0);
    } finally {
      await sse.close();
    }
  });
});

describe('startMcpServer misbehaving options', () => {
  let as: AuthServer;
  beforeAll(async () => {
    as = await startAuthorizationServer();
  });
  afterAll(() => as.close());

  it('resourceOverride, metadataBody, noResourceMetadataInChallenge, requiredScopes', async () => {
    const wrong = await startMcpServer({
      authServer: as,
      resourceOverride: 'https://evil.example/mcp',
    });
    const html = await startMcpServer({
      authServer: as,
      metadataBody: { body: '<html>login</html>' },
    });
    const bare = await startMcpServer({
      authServer: as,
      noResourceMetadataInChallenge: true,
      requiredScopes: ['mcp:read'],
      metadataLocation: 'root',
    });
    try {
      expect(((await (await fetch(wrong.resourceMetadataUrl)).json()) as Json).resource).toBe(
        'https://evil.example/mcp',
      );
      const page = await fetch(html.resourceMetadataUrl);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toBe('<html>login</html>');
      const challenge = (await post(bare, rpc('tools/list'))).challenge;
      expect(challenge).toBe(
        'Bearer error="invalid_token", error_description="Missing Authorization header", scope="mcp:read"',
      );
      expect((await fetch(bare.resourceMetadataUrl)).status).toBe(404);
      const root = await fetch(
        `http://127.0.0.1:${bare.port}/.well-known/oauth-protected-resource`,
      );
      expect(((await root.json()) as Json).resource).toBe(bare.url);
    } finally {
      await Promise.all([wrong.close(), html.close(), bare.close()]);
    }
  });

  it("challengeResourceMetadataUrl writes the challenges' resource_metadata its way", async () => {
    const written = await startMcpServer({
      authServer: as,
      challengeResourceMetadataUrl: (url) => url.replace('http://', 'HTTP://'),
    });
    try {
      const challenge = (await post(written, rpc('tools/list'))).challenge;
      expect(challenge).toContain(
        `resource_metadata="${written.resourceMetadataUrl.replace('http://', 'HTTP://')}"`,
      );
      // the metadata itself is where it was
      expect((await fetch(written.resourceMetadataUrl)).status).toBe(200);
    } finally {
      await written.close();
    }
  });
});
