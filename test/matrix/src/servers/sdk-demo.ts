import { startMcpServer } from '@mcp-oauth/testing';
import { DemoInMemoryAuthProvider } from '@modelcontextprotocol/sdk/examples/server/demoInMemoryOAuthProvider.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import {
  createOAuthMetadata,
  mcpAuthRouter,
} from '@modelcontextprotocol/sdk/server/auth/router.js';
import { resourceUrlFromServerUrl } from '@modelcontextprotocol/sdk/shared/auth-utils.js';
import express from 'express';
import { freePort, listen } from './free-port.ts';
import type { MatrixStack, RsOptions } from './types.ts';

/**
 * The official MCP SDK's authorization server: `mcpAuthRouter` with the SDK's documented demo
 * provider (`DemoInMemoryAuthProvider`), set up as the SDK's `setupAuthServer` does (its
 * `simpleStreamableHttp` example with `--oauth --oauth-strict`): DCR, PKCE, opaque tokens of
 * one hour, no refresh grant, `scopes_supported: ['mcp:tools']`, and `POST /introspect`.
 * `setupAuthServer` itself listens on a fixed port and cannot be closed, so its dozen lines
 * are repeated here, unchanged but for the listener. The MCP server in front verifies tokens
 * through that introspection endpoint, as the SDK example's verifier does.
 */
export async function startSdkDemoStack(rs: RsOptions = {}): Promise<MatrixStack> {
  const as = await listen();
  const mcpPort = await freePort();
  const mcpServerUrl = new URL(`http://127.0.0.1:${mcpPort}${rs.path ?? '/mcp'}`);
  const authServerUrl = new URL(as.origin);

  // --- as in the SDK's setupAuthServer({ authServerUrl, mcpServerUrl, strictResource: true })
  const validateResource = (resource?: URL) =>
    resource !== undefined &&
    resource.toString() === resourceUrlFromServerUrl(mcpServerUrl).toString();
  const provider = new DemoInMemoryAuthProvider(validateResource);
  const authApp = express();
  authApp.use(express.json());
  authApp.use(express.urlencoded());
  authApp.use(
    mcpAuthRouter({ provider, issuerUrl: authServerUrl, scopesSupported: ['mcp:tools'] }),
  );
  authApp.post('/introspect', async (req, res) => {
    try {
      const { token } = req.body as { token?: string };
      if (!token) {
        res.status(400).json({ error: 'Token is required' });
        return;
      }
      const tokenInfo = await provider.verifyAccessToken(token);
      res.json({
        active: true,
        client_id: tokenInfo.clientId,
        scope: tokenInfo.scopes.join(' '),
        exp: tokenInfo.expiresAt,
        aud: tokenInfo.resource,
      });
    } catch (error) {
      res.status(401).json({
        active: false,
        error: 'Unauthorized',
        error_description: `Invalid token: ${String(error)}`,
      });
    }
  });
  as.setHandler(authApp);
  const oauthMetadata = createOAuthMetadata({
    provider,
    issuerUrl: authServerUrl,
    scopesSupported: ['mcp:tools'],
  });
  const introspection = new URL('/introspect', authServerUrl).href;
  // ---

  // the SDK example's token verifier (simpleStreamableHttp.ts), over the introspection endpoint;
  // it throws InvalidTokenError where the example throws Error (which requireBearerAuth answers
  // with 500, not with the 401 that sends a client to refresh or log in again)
  const verifier: OAuthTokenVerifier = {
    async verifyAccessToken(token) {
      const response = await fetch(introspection, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
      });
      if (!response.ok) throw new InvalidTokenError(`Invalid or expired token: ${response.status}`);
      const data = (await response.json()) as Record<string, unknown>;
      const audience = [data.aud ?? []]
        .flat()
        .map(String)
        .find((aud) => URL.canParse(aud) && new URL(aud).origin === mcpServerUrl.origin);
      return {
        token,
        clientId: String(data.client_id),
        scopes: typeof data.scope === 'string' ? data.scope.split(' ').filter(Boolean) : [],
        expiresAt: data.exp as number,
        ...(audience ? { resource: new URL(audience) } : {}),
        // mcp-auth (another cell's MCP server) declares `issuer` on the SDK's AuthInfo type
        issuer: oauthMetadata.issuer,
      };
    },
  };
  const mcp = await startMcpServer({
    scopesSupported: ['mcp:tools'],
    ...rs,
    port: mcpPort,
    authServer: { issuer: oauthMetadata.issuer, jwksUri: '' },
    verifier,
  });
  return {
    implementation: 'MCP SDK mcpAuthRouter + demo provider',
    issuer: oauthMetadata.issuer,
    mcp,
    async close() {
      await mcp.close();
      await as.close();
    },
  };
}
