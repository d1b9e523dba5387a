// Enterprise-managed authorization (SEP-990: RFC 8693 token exchange for an ID-JAG at a real
// oidc-provider playing the enterprise IdP, then RFC 7523 at the MCP server's oidc-provider)
// and workload identity federation (RFC 7523 with a platform token read from a file).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOAuthClient, McpOAuthError, type McpOAuthEvent, memoryStore } from '@mcp-oauth/core';
import { enterpriseManaged } from '@mcp-oauth/core/enterprise';
import { workloadIdentity } from '@mcp-oauth/core/workload';
import { type AuthServer, startAuthorizationServer } from '@mcp-oauth/testing';
import {
  enableIdJagTokenExchange,
  enableJwtBearerGrant,
  JWT_BEARER,
  type JwtSigner,
  jwtSigner,
  signInAtIdp,
  TOKEN_EXCHANGE,
} from '@mcp-oauth/testing/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSdk, type Stack, startStack, textOf } from '../src/harness.ts';

const APP = { clientId: 'chat-app', redirectUri: 'http://127.0.0.1/callback' };
const MCP_CLIENT = {
  clientId: 'chat-mcp',
  clientSecret: 'chat-mcp-secret-of-at-least-32-characters',
};
const WORKLOAD = { clientId: 'billing-agent' };
const HOURS = 3_600_000;

describe('JWT bearer grants against real oidc-provider servers', () => {
  let idp: AuthServer;
  let stack: Stack;
  let platform: JwtSigner;
  let grants: ReturnType<typeof enableJwtBearerGrant>;
  let dir: string;

  beforeAll(async () => {
    idp = await startAuthorizationServer({
      clients: [
        {
          client_id: APP.clientId,
          application_type: 'native',
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code', TOKEN_EXCHANGE],
          response_types: ['code'],
          redirect_uris: [APP.redirectUri],
        },
      ],
    });
    stack = await startStack({
      as: {
        clients: [
          {
            client_id: MCP_CLIENT.clientId,
            client_secret: MCP_CLIENT.clientSecret,
            token_endpoint_auth_method: 'client_secret_basic',
            grant_types: [JWT_BEARER],
            response_types: [],
            redirect_uris: [],
          },
          {
            client_id: WORKLOAD.clientId,
            token_endpoint_auth_method: 'none',
            grant_types: [JWT_BEARER],
            response_types: [],
            redirect_uris: [],
          },
        ],
      },
    });
    const idJags = await enableIdJagTokenExchange(idp, {
      clientIdAt: (audience) => (audience === stack.as.issuer ? MCP_CLIENT.clientId : undefined),
    });
    platform = await jwtSigner('https://kubernetes.default.svc.cluster.local');
    grants = enableJwtBearerGrant(stack.as, {
      trusted: [
        { issuer: idp.issuer, publicJwks: idJags.publicJwks, idJag: true },
        { issuer: platform.issuer, publicJwks: platform.publicJwks },
      ],
      resourceScopes: ['mcp:read', 'mcp:write', 'mcp:admin'],
    });
    dir = mkdtempSync(join(tmpdir(), 'wif-'));
  });
  afterAll(async () => {
    await stack?.close();
    await idp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('enterprise-managed authorization (SEP-990)', () => {
    it('signs the user in once at the IdP, then reaches the MCP server with no second consent', async () => {
      stack.as.resetStats();
      const idToken = await signInAtIdp(idp, APP);
      const events: McpOAuthEvent[] = [];
      let idTokenCalls = 0;
      let now = Date.now();
      const oauth = createOAuthClient({
        serverUrl: stack.mcp.url,
        store: memoryStore(),
        client: MCP_CLIENT,
        interaction: enterpriseManaged({
          idp: { issuer: idp.issuer, clientId: APP.clientId },
          getIdToken: () => {
            idTokenCalls++;
            return idToken;
          },
        }),
        now: () => now,
        onEvent: (e) => events.push(e),
      });
      const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
      expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('hi');
      const started = events.find((e) => e.type === 'authorization_started');
      expect(started).toMatchObject({ via: 'enterprise-managed', issuer: stack.as.issuer });
      const status = await oauth.status();
      expect(status?.scope).toBe('mcp:read mcp:write');
      expect(status?.hasRefreshToken).toBe(false);
      // no person took part at the MCP server's authorization server: one JWT bearer grant
      expect(stack.as.stats.tokenRequests).toEqual({ [JWT_BEARER]: 1 });
      // when the tokens expire, both steps run again with a current ID token
      const first = await oauth.getAccessToken();
      now += 2 * HOURS;
      const second = await oauth.getAccessToken();
      expect(second).not.toBe(first);
      expect(idTokenCalls).toBe(2);
      expect(JSON.stringify(events)).not.toContain(idToken);
      await sdk.close();
    });

    it("reports the IdP's refusal of an ID token as token_exchange_failed", async () => {
      const before = grants.requests.length;
      const oauth = createOAuthClient({
        serverUrl: stack.mcp.url,
        store: memoryStore(),
        client: MCP_CLIENT,
        interaction: enterpriseManaged({
          idp: { issuer: idp.issuer, clientId: APP.clientId },
          idToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.forged',
        }),
      });
      const error = await oauth.getAccessToken().catch((e: unknown) => e);
      expect(McpOAuthError.is(error, 'token_exchange_failed')).toBe(true);
      expect((error as McpOAuthError).oauthError).toBe('invalid_grant');
      expect(grants.requests.length).toBe(before); // nothing reached the MCP server's side
    });
  });

  describe('workload identity federation', () => {
    const platformToken = (audience: string) =>
      platform.sign({ sub: 'system:serviceaccount:billing:agent', aud: audience }, { typ: 'JWT' });

    it('presents the token file as an RFC 7523 assertion and reads it again after rotation', async () => {
      const file = join(dir, 'token');
      const firstToken = await platformToken(stack.as.issuer);
      writeFileSync(file, `${firstToken}\n`);
      let now = Date.now();
      const oauth = createOAuthClient({
        serverUrl: stack.mcp.url,
        store: memoryStore(),
        client: WORKLOAD,
        interaction: workloadIdentity({ token: () => readFile(file, 'utf8') }),
        now: () => now,
      });
      const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
      expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'wif' } }))).toBe('wif');
      const seen = () => grants.requests.at(-1)?.assertionHash;
      const { createHash } = await import('node:crypto');
      const hash = (t: string) => createHash('sha256').update(t).digest('base64url');
      expect(seen()).toBe(hash(firstToken));
      // the platform rotates the token; the next token request reads the new one
      const rotated = await platformToken(stack.as.issuer);
      writeFileSync(file, rotated);
      now += 2 * HOURS;
      await oauth.getAccessToken();
      expect(seen()).toBe(hash(rotated));
      await sdk.close();
    });

    it('reports an assertion the server refuses as invalid_grant after one request: no retry, no other grant', async () => {
      const wrongAudience = await platformToken('https://somewhere-else.example');
      const before = grants.requests.length;
      stack.as.resetStats();
      const oauth = createOAuthClient({
        serverUrl: stack.mcp.url,
        store: memoryStore(),
        client: WORKLOAD,
        interaction: workloadIdentity({ token: () => wrongAudience }),
      });
      const error = await oauth.getAccessToken().catch((e: unknown) => e);
      expect(McpOAuthError.is(error, 'grant_rejected')).toBe(true);
      expect(String((error as Error).message)).not.toContain(wrongAudience);
      expect(grants.requests.length - before).toBe(1);
      expect(stack.as.stats.tokenRequests).toEqual({ [JWT_BEARER]: 1 });
    });
  });
});
