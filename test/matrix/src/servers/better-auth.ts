import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { oauthProvider, oauthProviderAuthServerMetadata } from '@better-auth/oauth-provider';
import { oauthProviderResourceClient } from '@better-auth/oauth-provider/resource-client';
import { startMcpServer } from '@mcp-oauth/testing';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { type BetterAuthOptions as BetterAuthConfig, betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { getAuthTables } from 'better-auth/db';
import { toNodeHandler } from 'better-auth/node';
import { jwt } from 'better-auth/plugins';
import { freePort, listen } from './free-port.ts';
import type { MatrixStack, RsOptions } from './types.ts';

export interface BetterAuthOptions {
  /** `accessTokenExpiresIn` (default 2 s here; better-auth's own default is 3600). */
  accessTokenTtlSeconds?: number | undefined;
}

const EMAIL = 'user-1@example.test';
const BASE_PATH = '/api/auth';

/**
 * better-auth 1.7 with `@better-auth/oauth-provider` (the OAuth 2.1 provider that replaces its
 * deprecated `mcp` plugin), configured as its documentation's MCP setup says: `jwt()` for the
 * signing key and JWKS, `oauthProvider({ loginPage, consentPage,
 * allowDynamicClientRegistration, allowUnauthenticatedClientRegistration })`, the MCP endpoint
 * as a resource (RFC 8707, JWT access tokens with `aud` = the MCP URL) linked to every
 * registered client, `oauthProviderAuthServerMetadata` at the RFC 8414 path-inserted URL,
 * email and password sign-in, and the memory adapter. The login and consent "pages" are the
 * person: they sign in as user-1 and accept, through better-auth's own endpoints. The MCP
 * server verifies tokens with `oauthProviderResourceClient().verifyBearerToken` (JWKS).
 */
export async function startBetterAuthStack(
  settings: BetterAuthOptions = {},
  rs: RsOptions = {},
): Promise<MatrixStack> {
  const as = await listen();
  const mcpPort = await freePort();
  const mcpUrl = `http://127.0.0.1:${mcpPort}${rs.path ?? '/mcp'}`;
  const issuer = `${as.origin}${BASE_PATH}`;
  const password = randomBytes(18).toString('base64url');
  const db: Record<string, unknown[]> = {};

  const options = {
    baseURL: as.origin,
    basePath: BASE_PATH,
    secret: randomBytes(32).toString('base64url'),
    database: memoryAdapter(db),
    emailAndPassword: { enabled: true },
    logger: { disabled: process.env.MATRIX_DEBUG === undefined },
    plugins: [
      jwt(),
      oauthProvider({
        loginPage: '/sign-in',
        consentPage: '/consent',
        scopes: [
          'openid',
          'profile',
          'email',
          'offline_access',
          'mcp:read',
          'mcp:write',
          'mcp:admin',
        ],
        allowDynamicClientRegistration: true,
        allowUnauthenticatedClientRegistration: true,
        resources: [mcpUrl],
        clientRegistrationDefaultResources: [mcpUrl],
        accessTokenExpiresIn: settings.accessTokenTtlSeconds ?? 2,
      }),
    ],
  } satisfies BetterAuthConfig;
  // the memory adapter's database: one array per model, before the plugin seeds its resources
  for (const table of Object.values(getAuthTables(options))) db[table.modelName] = [];
  const auth = betterAuth(options);
  await auth.api.signUpEmail({ body: { email: EMAIL, password, name: 'User One' } });

  const api = toNodeHandler(auth);
  const metadata = oauthProviderAuthServerMetadata(auth);
  /** Calls a better-auth endpoint as the person's browser would, with its cookies. */
  const call = (path: string, cookie: string | undefined, payload: Record<string, unknown>) =>
    auth.handler(
      new Request(`${issuer}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: as.origin,
          ...(cookie ? { cookie } : {}),
        },
        body: JSON.stringify(payload),
      }),
    );
  /** Answers the page with a redirect to where better-auth said to go next, keeping cookies. */
  const follow = async (res: ServerResponse, response: Response) => {
    const json = (await response.json().catch(() => ({}))) as {
      url?: string;
      redirect_uri?: string;
    };
    const next = json.url ?? json.redirect_uri;
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader('set-cookie', cookies);
    if (!response.ok || !next) {
      res.writeHead(response.ok ? 500 : response.status, { 'content-type': 'text/html' });
      res.end(`<pre id="error">${response.status} ${JSON.stringify(json)}</pre>`);
      return;
    }
    res.writeHead(302, { location: new URL(next, as.origin).href });
    res.end();
  };

  as.setHandler(async (req, res) => {
    const url = new URL(req.url ?? '/', as.origin);
    const oauthQuery = url.search.slice(1);
    try {
      if (url.pathname === '/sign-in') {
        await follow(
          res,
          await call('/sign-in/email', undefined, {
            email: EMAIL,
            password,
            oauth_query: oauthQuery,
          }),
        );
      } else if (url.pathname === '/consent') {
        await follow(
          res,
          await call('/oauth2/consent', req.headers.cookie, {
            accept: true,
            oauth_query: oauthQuery,
          }),
        );
      } else if (url.pathname === `/.well-known/oauth-authorization-server${BASE_PATH}`) {
        const response = await metadata(new Request(url));
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      } else {
        await api(req, res);
      }
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`matrix better-auth host: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  const resourceClient = oauthProviderResourceClient(auth).getActions();
  const verifier: OAuthTokenVerifier = {
    async verifyAccessToken(token) {
      let payload: Awaited<ReturnType<typeof resourceClient.verifyBearerToken>>;
      try {
        payload = await resourceClient.verifyBearerToken(token, {
          verifyOptions: { audience: mcpUrl, issuer },
          jwksUrl: `${issuer}/jwks`,
        });
      } catch (error) {
        throw new InvalidTokenError(
          `Invalid access token: ${error instanceof Error ? error.message : 'invalid'}`,
        );
      }
      return {
        token,
        clientId: String(payload.azp ?? payload.client_id ?? ''),
        scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
        expiresAt: payload.exp as number,
        resource: new URL(mcpUrl),
        extra: { sub: payload.sub },
        // mcp-auth (another cell's MCP server) declares `issuer` on the SDK's AuthInfo type
        issuer,
      };
    },
  };
  const mcp = await startMcpServer({
    ...rs,
    port: mcpPort,
    authServer: { issuer, jwksUri: `${issuer}/jwks` },
    verifier,
  });
  return {
    implementation: 'better-auth 1.7 + @better-auth/oauth-provider',
    issuer,
    mcp,
    async close() {
      await mcp.close();
      await as.close();
    },
  };
}
