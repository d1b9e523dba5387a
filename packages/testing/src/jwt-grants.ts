import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { AuthServer } from './auth-server.ts';
import { completeAuthorization } from './complete-authorization.ts';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
const ID_JAG_TYPE = 'urn:ietf:params:oauth:token-type:id-jag';
const ID_JAG_TYP = 'oauth-id-jag+jwt';

type Params = Record<string, string | undefined>;
const paramsOf = (ctx: KoaContextWithOIDC) => ctx.oidc.params as unknown as Params;

/** A signer of JWTs for a test issuer (an enterprise IdP's ID-JAGs, a workload platform's tokens). */
export interface JwtSigner {
  issuer: string;
  /** The public keys, as a relying authorization server is configured to trust them. */
  publicJwks: { keys: JWK[] };
  sign(
    claims: Record<string, unknown>,
    options: { typ: string; expiresIn?: string },
  ): Promise<string>;
}

export async function jwtSigner(issuer: string): Promise<JwtSigner> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), alg: 'ES256', kid: randomUUID() };
  return {
    issuer,
    publicJwks: { keys: [jwk] },
    sign: (claims, options) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', typ: options.typ, kid: jwk.kid })
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .setJti(randomUUID())
        .sign(privateKey),
  };
}

/**
 * Makes `idp` an enterprise IdP for enterprise-managed authorization (SEP-990): its token
 * endpoint takes RFC 8693 token exchange of a user's ID token (issued by it, to the client
 * presenting it, unexpired) for an ID-JAG: `typ` oauth-id-jag+jwt, `aud` = the `audience`
 * (the MCP server's authorization server), `client_id` = the client the application has
 * there (`clientIdAt(audience)`), `resource`, `scope`, `sub` = the user. Clients must list
 * the token exchange grant in their `grant_types`.
 */
export async function enableIdJagTokenExchange(
  idp: AuthServer,
  options: { clientIdAt: (audience: string) => string | undefined },
): Promise<JwtSigner> {
  const signer = await jwtSigner(idp.issuer);
  const provider = idp.provider;
  provider.registerGrantType(
    TOKEN_EXCHANGE,
    async (ctx: KoaContextWithOIDC) => {
      const p = paramsOf(ctx);
      if (p.requested_token_type !== ID_JAG_TYPE || p.subject_token_type !== ID_TOKEN_TYPE)
        throw new errors.InvalidRequest('only ID tokens are exchanged, for ID-JAGs');
      if (!p.audience || !p.resource)
        throw new errors.InvalidRequest('audience and resource are required');
      const client = ctx.oidc.client;
      if (!client || !p.subject_token) throw new errors.InvalidRequest('subject_token is required');
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = (await provider.IdToken.validate(p.subject_token, client)) as {
          payload: Record<string, unknown>;
        });
      } catch {
        throw new errors.InvalidGrant('the ID token is not valid for this client');
      }
      if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now())
        throw new errors.InvalidGrant('the ID token has expired');
      const clientId = options.clientIdAt(p.audience);
      if (!clientId) throw new errors.InvalidTarget('no client is known at that audience');
      const idJag = await signer.sign(
        {
          sub: claims.sub,
          aud: p.audience,
          client_id: clientId,
          resource: p.resource,
          ...(p.scope ? { scope: p.scope } : {}),
        },
        { typ: ID_JAG_TYP },
      );
      ctx.body = {
        access_token: idJag,
        issued_token_type: ID_JAG_TYPE,
        token_type: 'N_A',
        expires_in: 300,
        ...(p.scope ? { scope: p.scope } : {}),
      };
    },
    [
      'subject_token',
      'subject_token_type',
      'requested_token_type',
      'audience',
      'resource',
      'scope',
    ],
  );
  return signer;
}

/** An issuer the authorization server accepts JWT bearer assertions from. */
export interface TrustedAssertionIssuer {
  issuer: string;
  publicJwks: { keys: JWK[] };
  /** ID-JAGs (enterprise-managed authorization): `typ`, `client_id` and `resource` are checked too. */
  idJag?: boolean;
}

/**
 * Makes `as` accept the RFC 7523 JWT bearer grant from the `trusted` issuers: the assertion's
 * signature against the issuer's keys, `aud` = this issuer, `exp`; for an ID-JAG also its
 * `typ`, that its `client_id` is the authenticated client and that its `resource` is the one
 * requested. Issues an RFC 9068 JWT access token for the requested resource (as the
 * authorization code grant does), for the assertion's subject, with the scopes asked for that
 * the resource offers (and, for an ID-JAG, that the IdP granted). No refresh token.
 * `requests` counts the grant requests seen.
 */
export function enableJwtBearerGrant(
  as: AuthServer,
  options: { trusted: TrustedAssertionIssuer[]; resourceScopes: string[]; accessTokenTtl?: number },
): { requests: { assertionHash: string; error?: string }[] } {
  const provider = as.provider;
  const requests: { assertionHash: string; error?: string }[] = [];
  provider.registerGrantType(
    JWT_BEARER,
    async (ctx: KoaContextWithOIDC) => {
      const p = paramsOf(ctx);
      const seen: { assertionHash: string; error?: string } = {
        assertionHash: createHash('sha256')
          .update(p.assertion ?? '')
          .digest('base64url'),
      };
      requests.push(seen);
      try {
        await issueForAssertion(ctx, p, as, options);
      } catch (error) {
        seen.error = (error as { error?: string }).error ?? 'server_error';
        throw error;
      }
    },
    ['assertion', 'scope', 'resource'],
  );
  return { requests };
}

async function issueForAssertion(
  ctx: KoaContextWithOIDC,
  p: Params,
  as: AuthServer,
  options: { trusted: TrustedAssertionIssuer[]; resourceScopes: string[]; accessTokenTtl?: number },
): Promise<void> {
  const provider = as.provider;
  const client = ctx.oidc.client;
  if (!p.assertion || !client) throw new errors.InvalidRequest('assertion is required');
  let unverified: ReturnType<typeof decodeJwt>;
  try {
    unverified = decodeJwt(p.assertion);
  } catch {
    throw new errors.InvalidGrant('the assertion is not a JWT');
  }
  const trust = options.trusted.find((t) => t.issuer === unverified.iss);
  if (!trust) throw new errors.InvalidGrant('the assertion is from an untrusted issuer');
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(p.assertion, createLocalJWKSet(trust.publicJwks), {
      issuer: trust.issuer,
      audience: [as.issuer, `${as.issuer}/`],
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    throw new errors.InvalidGrant(`the assertion is not valid: ${(error as Error).message}`);
  }
  const resource = p.resource;
  if (!resource) throw new errors.InvalidTarget('a resource indicator is required');
  let scopes = (p.scope ?? '').split(' ').filter((s) => options.resourceScopes.includes(s));
  if (trust.idJag) {
    if (decodeProtectedHeader(p.assertion).typ !== ID_JAG_TYP)
      throw new errors.InvalidGrant('the assertion is not an ID-JAG');
    if (claims.client_id !== client.clientId)
      throw new errors.InvalidGrant('the ID-JAG was issued to another client');
    if (claims.resource !== resource)
      throw new errors.InvalidTarget('the ID-JAG is for another resource');
    const granted = String(claims.scope ?? '').split(' ');
    scopes = scopes.filter((s) => granted.includes(s));
  }
  const scope = scopes.join(' ');
  const accountId = String(claims.sub);
  const grant = new provider.Grant({ accountId, clientId: client.clientId });
  if (scope) grant.addResourceScope(resource, scope);
  const grantId = await grant.save();
  const ttl = options.accessTokenTtl ?? 3600;
  const token = new provider.AccessToken({
    accountId,
    client,
    grantId,
    gty: 'jwt_bearer',
    scope,
  });
  token.resourceServer = new provider.ResourceServer(resource, {
    scope: options.resourceScopes.join(' '),
    audience: resource,
    accessTokenTTL: ttl,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  });
  const value = await token.save();
  ctx.body = {
    access_token: value,
    token_type: 'Bearer',
    expires_in: ttl,
    ...(scope ? { scope } : {}),
  };
}

/**
 * Signs a user in at `idp` as a relying party would (authorization code with PKCE, the
 * consent approved headlessly) with the `openid` scope, and returns the ID token: what an
 * application that signs its users in with the enterprise IdP holds.
 */
export async function signInAtIdp(
  idp: AuthServer,
  client: { clientId: string; redirectUri: string },
): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(`${idp.issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: client.redirectUri,
    scope: 'openid',
    state: randomBytes(8).toString('base64url'),
    nonce: randomBytes(8).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const callback = new URL(await completeAuthorization(authorize));
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`sign-in failed: ${callback.searchParams.get('error')}`);
  const response = await fetch(`${idp.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: client.clientId,
      code,
      redirect_uri: client.redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (typeof body.id_token !== 'string')
    throw new Error(
      `sign-in gave no ID token: ${String(body.error)} ${String(body.error_description)}`,
    );
  return body.id_token;
}
