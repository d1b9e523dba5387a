import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { type NextFunction, type Request, type Response } from 'express';
import { DPOP_ALGS, dpopGuard, keepRawBody } from './dpop-guard.ts';
import { createJwtVerifier, type TokenIssuer } from './jwt-verifier.ts';
import { listenLoopback } from './listen.ts';
import { createMcpStats, type McpServerStats, tokenHash } from './mcp-stats.ts';
import { createMcpServer } from './mcp-tools.ts';
import { requireToolScopes, type ToolScopes } from './step-up.ts';

/**
 * Options of `startMcpServer`: only `authServer` is required; the rest shapes or breaks the
 * server's behaviour on purpose.
 *
 * @example
 * ```ts
 * import { type McpServerOptions, startAuthorizationServer, startMcpServer } from '@mcp-oauth/testing';
 *
 * await using as = await startAuthorizationServer();
 * const options: McpServerOptions = {
 *   authServer: as,
 *   requiredScopes: ['mcp:read'],
 *   metadataLocation: 'root',
 *   jsonResponse: false, // answer with SSE streams
 * };
 * await using mcp = await startMcpServer(options);
 * ```
 */
export interface McpServerOptions {
  /** The authorization server whose JWTs are accepted (an `AuthServer` fits). */
  authServer: TokenIssuer;
  /**
   * How access tokens are checked (default: a jose JWT verifier of `authServer`'s RS256 JWTs,
   * audience = the MCP URL). Give one for servers issuing opaque tokens (introspection) or
   * with their own verification API; `authServer.issuer` still goes into the metadata.
   */
  verifier?: OAuthTokenVerifier | undefined;
  /** Path of the MCP endpoint (default '/mcp'). */
  path?: string | undefined;
  /** Port on 127.0.0.1 (default 0: ephemeral). */
  port?: number | undefined;
  /** Scopes every request needs (default none); sent as `scope` in 401/403 challenges. */
  requiredScopes?: string[] | undefined;
  /** Scopes per tool, merged over the default `{ admin_reset: 'mcp:admin' }`. */
  toolScopes?: ToolScopes | undefined;
  /**
   * `scopes_supported` in the resource metadata (default ['mcp:read', 'mcp:write']: mcp:admin
   * is left out so that a client choosing scopes from metadata needs step-up for admin_reset).
   * `null` leaves `scopes_supported` out of the metadata.
   */
  scopesSupported?: string[] | null | undefined;
  /** Answer POSTs with JSON instead of an SSE stream (default true). */
  jsonResponse?: boolean | undefined;
  /** Misbehaving: the metadata advertises this `resource` instead of the MCP URL. */
  resourceOverride?: string | undefined;
  /** Misbehaving: serve this instead of the metadata document (e.g. HTML with 200). */
  metadataBody?:
    | {
        /** HTTP status (default 200). */
        status?: number | undefined;
        /** `Content-Type` (default `application/json`). */
        contentType?: string | undefined;
        /** The body, as sent. */
        body: string;
      }
    | undefined;
  /** Misbehaving: leave `resource_metadata` out of WWW-Authenticate challenges. */
  noResourceMetadataInChallenge?: boolean | undefined;
  /**
   * How the challenges write `resource_metadata`: called once with the metadata URL, returns
   * what is sent (e.g. the same URL written differently:
   * `(url) => url.replace('http://', 'HTTP://')`). Default: the URL as is.
   */
  challengeResourceMetadataUrl?: ((resourceMetadataUrl: string) => string) | undefined;
  /**
   * Where the metadata is served (default 'path'): 'path' =
   * `/.well-known/oauth-protected-resource/mcp`, 'root' = `/.well-known/oauth-protected-resource`,
   * 'both', or 'none'.
   */
  metadataLocation?: 'path' | 'root' | 'both' | 'none' | undefined;
  /**
   * DPoP (RFC 9449) at this resource (default 'off'):
   * - 'off': Bearer tokens only, as the SDK's `requireBearerAuth` does; metadata says nothing of DPoP;
   * - 'accepted': DPoP-bound tokens with proofs too; metadata lists `dpop_signing_alg_values_supported`;
   * - 'required': only DPoP-bound tokens; metadata also sets `dpop_bound_access_tokens_required`
   *   (RFC 9728 §2), and requests without one are answered 401 with a `DPoP` challenge.
   */
  dpop?: 'off' | 'accepted' | 'required' | undefined;
  /** Quiet: with `dpop` on, leave the DPoP fields out of the resource metadata (only challenges tell). Default true. */
  dpopInMetadata?: boolean | undefined;
}

/**
 * A running MCP server (the official SDK's, over Streamable HTTP) that accepts the tokens of
 * an authorization server. Started by `startMcpServer`.
 *
 * @example
 * ```ts
 * import { startStack } from '@mcp-oauth/testing';
 *
 * await using stack = await startStack();
 * const mcp = stack.mcp;
 * // ... the client under test calls tools at mcp.url ...
 * console.log(mcp.stats.unauthorized, mcp.tokenSeen('the-access-token'));
 * ```
 */
export interface McpTestServer extends AsyncDisposable {
  /** The MCP endpoint, e.g. `http://127.0.0.1:PORT/mcp`; also the resource (RFC 8707). */
  url: string;
  /** The canonical resource identifier the tokens' `aud` must equal (= url). */
  resource: string;
  /** The path-aware RFC 9728 metadata URL (also in challenges unless omitted). */
  resourceMetadataUrl: string;
  /** The port it listens on. */
  port: number;
  /** Live counters of the requests it received. */
  stats: McpServerStats;
  /** Zeroes every counter of `stats`. */
  resetStats(): void;
  /** How many requests carried this token (compared by hash). */
  tokenSeen(token: string): number;
  /** Stops the server and ends its connections. */
  close(): Promise<void>;
}

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

function cors(req: Request, res: Response, next: NextFunction): void {
  res.set('Access-Control-Allow-Origin', '*');
  res.set('Access-Control-Expose-Headers', 'WWW-Authenticate, Mcp-Session-Id');
  if (req.method !== 'OPTIONS') {
    next();
    return;
  }
  res.set('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
  res.set(
    'Access-Control-Allow-Headers',
    'Authorization, Content-Type, Accept, Mcp-Protocol-Version, Mcp-Session-Id, Last-Event-ID',
  );
  res.status(204).end();
}

/**
 * Starts an MCP server (official SDK, stateless Streamable HTTP) on 127.0.0.1, protected by
 * `requireBearerAuth` with a jose JWT verifier (issuer, audience = the MCP URL, exp), serving
 * RFC 9728 metadata, with HTTP-level step-up for tools that need more scope.
 *
 * @example
 * ```ts
 * import { startAuthorizationServer, startMcpServer } from '@mcp-oauth/testing';
 *
 * await using as = await startAuthorizationServer();
 * await using mcp = await startMcpServer({ authServer: as, toolScopes: { echo: 'mcp:write' } });
 * const challenge = await fetch(mcp.url, { method: 'POST' }); // 401 with WWW-Authenticate
 * ```
 */
export async function startMcpServer(options: McpServerOptions): Promise<McpTestServer> {
  const path = options.path ?? '/mcp';
  const listening = await listenLoopback(options.port);
  const url = `${listening.origin}${path}`;
  const resourceMetadataUrl = `${listening.origin}${WELL_KNOWN}${path === '/' ? '' : path}`;
  const challengeMetadataUrl = options.noResourceMetadataInChallenge
    ? undefined
    : (options.challengeResourceMetadataUrl?.(resourceMetadataUrl) ?? resourceMetadataUrl);
  const kit = createMcpStats(path);

  const app = express();
  app.disable('x-powered-by');
  app.use(kit.middleware);
  app.use(cors);

  const location = options.metadataLocation ?? 'path';
  const dpopMode = options.dpop ?? 'off';
  const dpopAdvertised = dpopMode !== 'off' && options.dpopInMetadata !== false;
  const metadataPaths = [
    ...(location === 'path' || location === 'both' ? [new URL(resourceMetadataUrl).pathname] : []),
    ...(location === 'root' || location === 'both' ? [WELL_KNOWN] : []),
  ];
  const metadata = {
    resource: options.resourceOverride ?? url,
    authorization_servers: [options.authServer.issuer],
    ...(options.scopesSupported === null
      ? {}
      : { scopes_supported: options.scopesSupported ?? ['mcp:read', 'mcp:write'] }),
    bearer_methods_supported: ['header'],
    resource_name: 'mcp-oauth test server',
    ...(dpopAdvertised ? { dpop_signing_alg_values_supported: [...DPOP_ALGS] } : {}),
    ...(dpopAdvertised && dpopMode === 'required'
      ? { dpop_bound_access_tokens_required: true }
      : {}),
  };
  for (const metadataPath of [...new Set(metadataPaths)]) {
    app.get(metadataPath, (_req, res) => {
      const custom = options.metadataBody;
      if (!custom) {
        res.json(metadata);
        return;
      }
      res.status(custom.status ?? 200);
      res.type(custom.contentType ?? 'text/html');
      res.send(custom.body);
    });
  }

  const bearer = requireBearerAuth({
    verifier: options.verifier ?? createJwtVerifier(options.authServer, url),
    requiredScopes: options.requiredScopes ?? [],
    expectedResource: new URL(url),
    ...(challengeMetadataUrl ? { resourceMetadataUrl: challengeMetadataUrl } : {}),
  });
  const toolScopes: ToolScopes = { admin_reset: 'mcp:admin', ...options.toolScopes };
  const jsonResponse = options.jsonResponse ?? true;

  const dpop =
    dpopMode === 'off'
      ? (_req: Request, _res: Response, next: NextFunction) => next()
      : dpopGuard(url, kit.stats, {
          required: dpopMode === 'required',
          resourceMetadataUrl: challengeMetadataUrl,
        });
  // parsed before the DPoP guard, which checks the proof's content_digest against the raw bytes
  const json = express.json({ limit: '1mb', verify: keepRawBody });
  app.post(
    path,
    json,
    dpop,
    bearer,
    requireToolScopes(toolScopes, challengeMetadataUrl),
    async (req, res) => {
      const server = createMcpServer();
      // No sessionIdGenerator: stateless mode.
      const transport = new StreamableHTTPServerTransport({ enableJsonResponse: jsonResponse });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    },
  );
  // Stateless: no standalone SSE stream and no session to delete.
  app.all(path, dpop, bearer, (_req, res) => {
    res
      .set('Allow', 'POST')
      .status(405)
      .json({
        jsonrpc: '2.0',
        error: { code: -32000, message: 'Method not allowed (stateless server).' },
        id: null,
      });
  });
  listening.setHandler(app);

  return {
    url,
    resource: url,
    resourceMetadataUrl,
    port: listening.port,
    stats: kit.stats,
    resetStats: kit.reset,
    tokenSeen: (token) => kit.stats.tokens[tokenHash(token)] ?? 0,
    close: () => listening.close(),
    [Symbol.asyncDispose]: () => listening.close(),
  };
}
