import { createVerifier, type DecodedJwt } from 'fast-jwt';
import { FastMCP, requireScopes } from 'fastmcp';
import buildGetJwks from 'get-jwks';
import { z } from 'zod';
import { freePort } from './free-port.ts';
import { foreignEvidence, observeRequests } from './request-stats.ts';
import type { ForeignMcpServer } from './types.ts';

/** What `authenticate` returns: the session's auth, read by `requireScopes` (`scopes`). */
interface Session extends Record<string, unknown> {
  userId: string;
  scopes: string[];
}

const quiet = { debug() {}, error() {}, info() {}, log() {}, warn() {} };

/**
 * fastmcp 4 (punkpeye), configured as its README's "OAuth Discovery Endpoints" section says for
 * a server whose tokens come from an outside authorization server: `oauth: { enabled: true,
 * authorizationServer: { issuer, authorizationEndpoint, tokenEndpoint, jwksUri,
 * responseTypesSupported }, protectedResource: { resource, authorizationServers } }` (fastmcp
 * serves both documents itself), and an `authenticate` hook that takes `Bearer` only, verifies
 * the JWT with get-jwks + fast-jwt, and throws `new Response(null, { status: 401 })` otherwise;
 * `canAccess: requireScopes('mcp:admin')` (its "Tool Authorization" section) for admin_reset;
 * `start({ transportType: 'httpStream' })` (stateful sessions, its default). Where its example
 * is a placeholder or cannot work, the nearest working choice, each marked below.
 */
export async function startFastMcpServer(issuer: string): Promise<ForeignMcpServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/mcp`;
  const observed = observeRequests(port, '/mcp');
  let verified = 0;

  // the README writes these values by hand; they are the AS's own (its discovery document)
  const discovery = (await (
    await fetch(new URL('/.well-known/openid-configuration', `${issuer}/`))
  ).json()) as Record<'issuer' | 'authorization_endpoint' | 'token_endpoint' | 'jwks_uri', string>;
  // the README's `buildGetJwks()` fetches `<domain>/.well-known/jwks.json`, which oidc-provider
  // does not serve; its comment says "using OpenID Connect discovery", which is this option
  const getJwks = buildGetJwks({ providerDiscovery: true });
  const verify = createVerifier({
    async key({ header }: DecodedJwt) {
      return getJwks.getPublicKey({ kid: header.kid, alg: header.alg, domain: issuer });
    },
    algorithms: ['RS256'],
    // not in the README's example (which checks signature and expiry only): the MCP spec
    // requires the audience check, and a cell should fail if a token for another resource passes
    allowedAud: url,
    allowedIss: issuer,
  });

  const server = new FastMCP<Session>({
    name: 'matrix-fastmcp',
    version: '1.0.0',
    logger: quiet,
    oauth: {
      enabled: true,
      authorizationServer: {
        issuer: discovery.issuer,
        authorizationEndpoint: discovery.authorization_endpoint,
        tokenEndpoint: discovery.token_endpoint,
        jwksUri: discovery.jwks_uri,
        responseTypesSupported: ['code'],
      },
      protectedResource: {
        // the README's "mcp://my-server" is a placeholder: the resource is the MCP URL (RFC 9728)
        resource: url,
        authorizationServers: [issuer],
      },
    },
    authenticate: async (request) => {
      const authHeader = request.headers.authorization;
      if (!authHeader?.startsWith('Bearer ')) {
        throw new Response(null, {
          status: 401,
          statusText: 'Missing or invalid authorization header',
        });
      }
      const token = authHeader.slice(7);
      try {
        const payload = (await verify(token)) as { sub: string; scope?: string };
        verified += 1;
        return {
          userId: payload.sub,
          // the README returns `scope` (the claim's string); `requireScopes` reads `scopes`
          scopes: (payload.scope ?? '').split(' ').filter(Boolean),
        };
      } catch {
        throw new Response(null, { status: 401, statusText: 'Invalid OAuth token' });
      }
    },
  });
  server.addTool({
    name: 'echo',
    description: 'Returns its text argument.',
    parameters: z.object({ text: z.string() }),
    execute: async ({ text }) => text,
  });
  server.addTool({
    name: 'add',
    description: 'Adds two numbers.',
    parameters: z.object({ a: z.number(), b: z.number() }),
    execute: async ({ a, b }) => String(a + b),
  });
  server.addTool({
    name: 'admin_reset',
    description: 'Needs the mcp:admin scope.',
    canAccess: requireScopes('mcp:admin'),
    execute: async () => 'reset',
  });
  await server.start({
    transportType: 'httpStream',
    httpStream: { port, host: '127.0.0.1', endpoint: '/mcp' },
  });

  const close = async () => {
    await server.stop();
    observed.close();
  };
  return {
    url,
    resource: url,
    resourceMetadataUrl: `${origin}/.well-known/oauth-protected-resource/mcp`,
    port,
    stats: observed.stats,
    resetStats: observed.reset,
    tokenSeen: observed.tokenSeen,
    close,
    [Symbol.asyncDispose]: close,
    foreign: foreignEvidence('fastmcp 4', observed.stats, () => verified, 'its authenticate hook'),
  };
}
