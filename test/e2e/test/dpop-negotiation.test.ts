import { createOAuthClient, McpOAuthError, memoryStore } from '@mcp-oauth/core';
import { dpop } from '@mcp-oauth/core/dpop';
import { afterEach, describe, expect, it } from 'vitest';
import { connectSdk, type Stack, startStack, textOf } from '../src/harness.ts';
import { approve } from '../src/interactions.ts';

/**
 * DPoP is used only where both servers take it (RFC 9449, RFC 9728 §2). The authorization
 * server and the MCP server are configured independently, each as its own documentation has
 * it: oidc-provider advertises DPoP by default; the SDK's `requireBearerAuth` accepts Bearer only.
 */
describe('DPoP negotiation: the authorization server and the MCP server vary independently', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  const client = (s: Stack, options: { dpop?: ReturnType<typeof dpop> } = {}) =>
    createOAuthClient({
      serverUrl: s.mcp.url,
      store: memoryStore(),
      interaction: approve(),
      ...options,
    });

  it('AS offers DPoP, MCP server takes Bearer only: Bearer tokens, every call succeeds (auto)', async () => {
    stack = await startStack({ mcp: { dpop: 'off' } });
    const as = await (await fetch(`${stack.as.issuer}/.well-known/openid-configuration`)).json();
    expect(as.dpop_signing_alg_values_supported).toEqual(expect.any(Array)); // the AS does offer it
    const oauth = client(stack, { dpop: dpop() });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'bearer' } }))).toBe(
      'bearer',
    );
    expect((await oauth.status())?.tokenType).toBe('bearer');
    expect(stack.mcp.stats.dpopRejected).toBe(0);
    await oauth.refresh(); // still Bearer after a refresh
    expect(textOf(await sdk.callTool({ name: 'add', arguments: { a: 2, b: 3 } }))).toBe('5');
    expect((await oauth.status())?.tokenType).toBe('bearer');
    expect(stack.as.stats.authorizations).toBe(1);
    await sdk.close();
  });

  it('both take DPoP: tokens are bound and every MCP request carries a proof (auto)', async () => {
    stack = await startStack({ mcp: { dpop: 'accepted' } });
    const prm = await (await fetch(stack.mcp.resourceMetadataUrl)).json();
    expect(prm.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256']));
    const oauth = client(stack, { dpop: dpop() });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    await sdk.listTools();
    expect((await oauth.status())?.tokenType).toBe('dpop');
    expect(stack.mcp.stats.dpopRequests).toBeGreaterThan(0);
    await sdk.close();
  });

  it('the MCP server takes DPoP but the AS does not offer it: Bearer tokens (auto)', async () => {
    stack = await startStack({ as: { dpop: false }, mcp: { dpop: 'accepted' } });
    const oauth = client(stack, { dpop: dpop() });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    await sdk.listTools();
    expect((await oauth.status())?.tokenType).toBe('bearer');
    await sdk.close();
  });

  it('the MCP server requires DPoP and the AS does not offer it: a typed error before any consent', async () => {
    stack = await startStack({ as: { dpop: false }, mcp: { dpop: 'required' } });
    const oauth = client(stack, { dpop: dpop() });
    const error = await oauth.authorize().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'dpop_unavailable')).toBe(true);
    expect((error as Error).message).toMatch(/accepts only DPoP-bound tokens/);
    expect((error as Error).message).toContain(stack.as.issuer);
    expect(stack.as.stats.authorizations).toBe(0);
  });

  it('the MCP server requires DPoP and the client has no dpop(): the error names the dpop option', async () => {
    stack = await startStack({ mcp: { dpop: 'required' } });
    const oauth = client(stack);
    const error = await oauth.authorize().catch((e: unknown) => e);
    expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
    expect((error as McpOAuthError).details.option).toBe('dpop');
    expect(stack.as.stats.authorizations).toBe(0);
  });

  it('the MCP server requires DPoP and says so only in its challenge: the token is bound on the first refusal', async () => {
    stack = await startStack({ mcp: { dpop: 'required', dpopInMetadata: false } });
    const prm = await (await fetch(stack.mcp.resourceMetadataUrl)).json();
    expect(prm.dpop_signing_alg_values_supported).toBeUndefined();
    // a login that reads the server's challenge first binds the token at once
    const probing = client(stack, { dpop: dpop() });
    await probing.authorize();
    expect((await probing.status())?.tokenType).toBe('dpop');
    // scopes given: no challenge read before the login, so from metadata alone: Bearer
    const oauth = client(stack, { dpop: dpop() });
    await oauth.authorize({ scopes: ['mcp:read'] });
    expect((await oauth.status())?.tokenType).toBe('bearer');
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    // 401 with a DPoP challenge → a refresh with a proof → a bound token → the call succeeds
    expect(textOf(await sdk.callTool({ name: 'echo', arguments: { text: 'upgraded' } }))).toBe(
      'upgraded',
    );
    expect((await oauth.status())?.tokenType).toBe('dpop');
    expect(stack.as.stats.authorizations).toBe(2); // one each: no new login for the upgrade
    await sdk.close();
  });

  it("the forced mode stays available: dpop({ mode: 'always' }) binds tokens whatever the MCP server says", async () => {
    stack = await startStack({ mcp: { dpop: 'accepted', dpopInMetadata: false } });
    const oauth = client(stack, { dpop: dpop({ mode: 'always' }) });
    const sdk = await connectSdk(stack.mcp.url, oauth.fetch);
    await sdk.listTools();
    expect((await oauth.status())?.tokenType).toBe('dpop');
    expect(stack.mcp.stats.dpopRequests).toBeGreaterThan(0);
    await sdk.close();
  });
});
