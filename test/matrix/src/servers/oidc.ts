import {
  type AuthServerOptions,
  startAuthorizationServer,
  startMcpServer,
} from '@mcp-oauth/testing';
import { startFastMcpServer } from './fastmcp.ts';
import { startMcpAuthServer } from './mcp-auth.ts';
import type { ForeignRsImplementation, MatrixStack, RsOptions } from './types.ts';

/**
 * oidc-provider 9 (packages/testing) and, in front, the official-SDK MCP server of
 * packages/testing verifying its JWTs, or an MCP server that is not ours (`foreign`).
 */
export async function startOidcStack(
  as: AuthServerOptions = {},
  rs: RsOptions = {},
  client?: { clientId: string; clientSecret: string },
  foreign?: ForeignRsImplementation,
): Promise<MatrixStack> {
  const authServer = await startAuthorizationServer({
    ...as,
    ...(client
      ? {
          clients: [
            {
              client_id: client.clientId,
              client_secret: client.clientSecret,
              application_type: 'native',
              redirect_uris: ['http://127.0.0.1/callback'],
              grant_types: ['authorization_code', 'refresh_token'],
              response_types: ['code'],
              token_endpoint_auth_method: 'client_secret_basic',
            },
          ],
        }
      : {}),
  });
  const mcp = await (foreign === 'mcp-auth'
    ? startMcpAuthServer(authServer.issuer)
    : foreign === 'fastmcp'
      ? startFastMcpServer(authServer.issuer)
      : startMcpServer({ ...rs, authServer })
  ).catch(async (error: unknown) => {
    await authServer.close();
    throw error;
  });
  return {
    implementation: 'oidc-provider 9',
    issuer: authServer.issuer,
    mcp,
    oidc: authServer,
    client,
    async close() {
      await mcp.close();
      await authServer.close();
    },
  };
}
