import { createHash, randomBytes } from 'node:crypto';
import { completeAuthorization } from './complete-authorization.ts';

/**
 * Options of `obtainTokens`.
 *
 * @example
 * ```ts
 * import { type ObtainTokensOptions, obtainTokens, startStack } from '@mcp-oauth/testing';
 *
 * await using stack = await startStack();
 * const options: ObtainTokensOptions = {
 *   issuer: stack.as.issuer,
 *   resource: stack.mcp.url,
 *   scope: 'mcp:read mcp:write offline_access',
 * };
 * const tokens = await obtainTokens(options);
 * ```
 */
export interface ObtainTokensOptions {
  /** The authorization server's issuer (an `AuthServer`'s `issuer`). */
  issuer: string;
  /** RFC 8707 resource, e.g. the MCP server URL. */
  resource?: string | undefined;
  /** Space-separated scopes (default 'mcp:read'). */
  scope?: string | undefined;
  /** Redirect URI (default `http://127.0.0.1/callback`, any port allowed for native clients). */
  redirectUri?: string | undefined;
}

/**
 * What `obtainTokens` got from the token endpoint.
 *
 * @example
 * ```ts
 * import { obtainTokens, startStack } from '@mcp-oauth/testing';
 *
 * await using stack = await startStack();
 * const tokens = await obtainTokens({ issuer: stack.as.issuer, resource: stack.mcp.url });
 * const response = await fetch(stack.mcp.url, {
 *   method: 'POST',
 *   headers: { authorization: `Bearer ${tokens.accessToken}` },
 * });
 * ```
 */
export interface ObtainedTokens {
  /** The client registered for the login. */
  clientId: string;
  /** The access token (a JWT when `resource` was given). */
  accessToken: string;
  /** The refresh token, when `offline_access` was granted. */
  refreshToken: string | undefined;
  /** The scopes granted, space-separated. */
  scope: string | undefined;
  /** The access token's lifetime, in seconds. */
  expiresIn: number | undefined;
  /** The raw token endpoint response. */
  raw: Record<string, unknown>;
}

async function json(response: Response, what: string): Promise<Record<string, unknown>> {
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) {
    throw new Error(
      `${what} failed: ${response.status} ${String(body.error)}: ${String(body.error_description)}`,
    );
  }
  return body;
}

/**
 * A whole login done by hand, for tests that only need tokens: OpenID discovery, dynamic
 * registration of a public native client, authorization code with PKCE S256 (consent
 * approved headlessly by `completeAuthorization`) and the token exchange. Not a client
 * library: no checks beyond success.
 *
 * @example
 * ```ts
 * import { obtainTokens, startStack } from '@mcp-oauth/testing';
 *
 * await using stack = await startStack();
 * const { accessToken } = await obtainTokens({
 *   issuer: stack.as.issuer,
 *   resource: stack.mcp.url,
 *   scope: 'mcp:read',
 * });
 * ```
 */
export async function obtainTokens(options: ObtainTokensOptions): Promise<ObtainedTokens> {
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1/callback';
  const metadata = await json(
    await fetch(`${options.issuer}/.well-known/openid-configuration`),
    'discovery',
  );
  const registration = await json(
    await fetch(String(metadata.registration_endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        application_type: 'native',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    }),
    'registration',
  );
  const clientId = String(registration.client_id);
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(String(metadata.authorization_endpoint));
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: options.scope ?? 'mcp:read',
    state: randomBytes(8).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...(options.resource ? { resource: options.resource } : {}),
  }).toString();
  const callback = new URL(await completeAuthorization(authorize));
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`authorization failed: ${callback.searchParams.get('error')}`);
  const tokens = await json(
    await fetch(String(metadata.token_endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }).toString(),
    }),
    'token exchange',
  );
  return {
    clientId,
    accessToken: String(tokens.access_token),
    refreshToken: typeof tokens.refresh_token === 'string' ? tokens.refresh_token : undefined,
    scope: typeof tokens.scope === 'string' ? tokens.scope : undefined,
    expiresIn: typeof tokens.expires_in === 'number' ? tokens.expires_in : undefined,
    raw: tokens,
  };
}
