import {
  getValidatedIdTokenClaims,
  OperationProcessingError,
  type ProcessAuthorizationCodeResponseOptions,
  type TokenEndpointResponse,
  UnsupportedOperationError,
} from 'oauth4webapi';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import { McpOAuthError } from '../errors/error.ts';
import type { FlowContext } from '../flow/context.ts';
import type { IdTokenClaims } from '../store/records.ts';
import { fromBase64url } from '../util/from-base64url.ts';
import { jwsAlgorithm } from '../util/jws-algorithms.ts';
import { assertSecureUrl } from '../util/secure-url.ts';

/**
 * OpenID Connect Core §3.1.3.7, for a token response to a request whose scope has `openid`.
 * `processResponse` is oauth4webapi's processing of the response, which validates the ID
 * token's claims: `alg` as the issuer advertises (`id_token_signing_alg_values_supported`,
 * else RS256), `iss`, `aud`, `azp`, `exp`, `iat`, `sub` and `nonce` (the one sent; a grant
 * without `nonce`, the device flow, expects none and need not return an ID token). Then its
 * signature is verified with the issuer's keys (`jwks_uri`, fetched through the client's
 * fetch). Any failure is `id_token_invalid`; the ID token itself is never kept nor reported.
 *
 * Loaded (a dynamic import) only by flows that requested `openid`. The signature is checked
 * with WebCrypto, not with oauth4webapi's `validateApplicationLevelSignature`: bundlers split
 * oauth4webapi (one file) as a whole, so using it here would put its JWKS code in every
 * application's first chunk.
 */
export async function validateIdToken(
  ctx: FlowContext,
  as: AuthorizationServerMetadata,
  processResponse: (
    options: ProcessAuthorizationCodeResponseOptions,
  ) => Promise<TokenEndpointResponse>,
  nonce: string | undefined,
): Promise<{ tokens: TokenEndpointResponse; idTokenClaims?: IdTokenClaims }> {
  let tokens: TokenEndpointResponse;
  try {
    // OIDC Core §3.1.3.3: the authorization code's token response must carry an ID token
    tokens = await processResponse(nonce ? { expectedNonce: nonce, requireIdToken: true } : {});
  } catch (error) {
    // the other failures (OAuth errors, a bad token_type) are the grant's to report
    throw idTokenFailure(error) ?? error;
  }
  const claims = getValidatedIdTokenClaims(tokens);
  // the device flow: OpenID Connect does not require one there
  if (!claims || !tokens.id_token) return { tokens };
  await verifySignature(ctx, as, tokens.id_token);
  return { tokens, idTokenClaims: claims as IdTokenClaims };
}

/** The ID token's JWS signature, by a key of the issuer's JWKS, with an algorithm it advertises. */
async function verifySignature(
  ctx: FlowContext,
  as: AuthorizationServerMetadata,
  idToken: string,
): Promise<void> {
  try {
    // https (or loopback http, as every endpoint); the guarded fetch caps the body's size
    if (typeof as.jwks_uri !== 'string')
      throw new Error('the authorization server publishes no jwks_uri to verify it with');
    const url = assertSecureUrl(as.jwks_uri, 'The jwks_uri', ctx.allowInsecureHttp);
    const response = await ctx.oauthFetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (response.status !== 200) throw new Error(`its jwks_uri answered HTTP ${response.status}`);
    const jwks = (await response.json()) as { keys?: unknown };
    const allowed = (as.id_token_signing_alg_values_supported as string[] | undefined) ?? ['RS256'];
    if (!(await verifiedByOneOf(idToken, Array.isArray(jwks.keys) ? jwks.keys : [], allowed)))
      throw new Error('no key of the issuer verifies it');
  } catch (error) {
    // a transport failure or an insecure URL keeps its own code
    if (McpOAuthError.isInstance(error)) throw error;
    const reason = error instanceof Error ? `: ${error.message}` : '';
    throw invalid(error, `its signature could not be verified with the issuer's keys${reason}`);
  }
}

/** Key types (and EC curves) each family of algorithms takes (RFC 7518 §6, RFC 8037). */
const KEY_TYPE: Record<string, { kty: string; crv?: string }> = {
  RS: { kty: 'RSA' },
  PS: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  ES512: { kty: 'EC', crv: 'P-521' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
};

/**
 * Whether a key of `keys` verifies the compact JWS `token`, with an algorithm in `allowed`:
 * the header's `alg` and `kid` select the candidates (signing keys of the right type and curve);
 * each is tried, as a JWKS may hold several keys without `kid`.
 */
async function verifiedByOneOf(
  token: string,
  keys: unknown[],
  allowed: string[],
): Promise<boolean> {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) throw new Error('it is not a compact JWS');
  const { alg, kid } = JSON.parse(new TextDecoder().decode(fromBase64url(header))) as {
    alg?: unknown;
    kid?: unknown;
  };
  const params = typeof alg === 'string' && allowed.includes(alg) ? jwsAlgorithm(alg) : undefined;
  if (!params || typeof alg !== 'string')
    throw new Error(`its algorithm ${String(alg)} is not allowed`);
  const type = KEY_TYPE[alg] ?? KEY_TYPE[alg.slice(0, 2)];
  const data = new TextEncoder().encode(`${header}.${payload}`);
  const bytes = fromBase64url(signature);
  for (const jwk of keys as (JsonWebKey & { kid?: string })[]) {
    if (jwk?.kty !== type?.kty || (type?.crv && jwk.crv !== type.crv)) continue;
    if ((kid !== undefined && jwk.kid !== kid) || jwk.use === 'enc') continue;
    // a key declared for another algorithm is not used for this one (EdDSA and Ed25519 alike)
    if (jwk.alg !== undefined && edName(jwk.alg) !== edName(alg)) continue;
    const key = await crypto.subtle
      .importKey('jwk', jwk, params.import, false, ['verify'])
      .catch(() => undefined);
    if (key && (await crypto.subtle.verify(params.sign, key, bytes, data))) return true;
  }
  return false;
}

const edName = (alg: string) => (alg === 'EdDSA' ? 'Ed25519' : alg);

/** oauth4webapi's refusals of the ID token (its claims, header or format), else undefined. */
function idTokenFailure(error: unknown): McpOAuthError | undefined {
  if (
    (error instanceof OperationProcessingError || error instanceof UnsupportedOperationError) &&
    /JWT|JWE|ID Token|id_token/.test(error.message)
  ) {
    return invalid(error, error.message);
  }
  return undefined;
}

function invalid(error: unknown, reason: string): McpOAuthError {
  const claim = (error as { cause?: { claim?: unknown } }).cause?.claim;
  return new McpOAuthError(
    'id_token_invalid',
    `The ID token of the token response was refused (${reason}): it is not from this authorization server or not for this sign-in. Sign in again; if it persists, check the authorization server's OpenID Connect configuration.`,
    {
      // a copy: oauth4webapi's causes carry the response body, with the tokens
      cause: error instanceof Error ? new Error(error.message) : undefined,
      ...(typeof claim === 'string' ? { details: { claim } } : {}),
    },
  );
}
