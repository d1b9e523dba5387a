import {
  type AuthServerOptions,
  startAuthorizationServer,
  startMcpServer,
} from '@mcp-oauth/testing';
import type { MatrixStack, RsOptions } from './types.ts';

/** oidc-provider 9 (packages/testing) and the official-SDK MCP server verifying its JWTs. */
export async function startOidcStack(
  as: AuthServerOptions = {},
  rs: RsOptions = {},
  client?: { clientId: string; clientSecret: string },
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
  const mcp = await startMcpServer({ ...rs, authServer });
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
