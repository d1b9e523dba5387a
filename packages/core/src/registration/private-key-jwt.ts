import type { ClientAuth } from 'oauth4webapi';
import { McpOAuthError } from '../errors/error.ts';
import { base64url } from '../util/base64url.ts';
import { jwsAlgorithm } from '../util/jws-algorithms.ts';
import type { PrivateJwk } from './client-config.ts';

/** The PKCS #8 DER bytes of a `-----BEGIN PRIVATE KEY-----` PEM. */
function pkcs8Der(pem: string): Uint8Array<ArrayBuffer> {
  const body = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(pem);
  if (!body?.[1]) throw new Error('the key is not a PKCS #8 PEM private key (BEGIN PRIVATE KEY)');
  return Uint8Array.from(atob(body[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0));
}

const json = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));

/**
 * Options of {@link privateKeyJwt}: the key's algorithm and id.
 *
 * @example
 * ```ts
 * import { type PrivateKeyJwtOptions, privateKeyJwt } from '@mcp-oauth/core/private-key-jwt';
 *
 * declare const pem: string; // a PKCS #8 PEM, from the application's secret store
 * const options: PrivateKeyJwtOptions = { alg: 'ES256', kid: 'key-2026-12' };
 * const privateKey = privateKeyJwt(pem, options);
 * ```
 */
export interface PrivateKeyJwtOptions {
  /** The JWS algorithm of the key (`RS256`, `ES256`, `EdDSA`, ...). Default: the JWK's `alg`, else RS256. */
  alg?: string;
  /** The `kid` put in the client assertion's header (RFC 7523), so the server finds the key. */
  kid?: string;
}

/**
 * A private key for `private_key_jwt` client authentication, made by {@link privateKeyJwt} and
 * passed as the `client` option's `privateKey`. Its methods are called by core.
 *
 * @example
 * ```ts
 * import type { ClientConfig } from '@mcp-oauth/core';
 * import { type PrivateKeyJwtSigner, privateKeyJwt } from '@mcp-oauth/core/private-key-jwt';
 *
 * declare const pem: string; // a PKCS #8 PEM, from the application's secret store
 * const privateKey: PrivateKeyJwtSigner = privateKeyJwt(pem, { alg: 'ES256' });
 * const client: ClientConfig = { clientId: 'my-service', privateKey };
 * ```
 */
export interface PrivateKeyJwtSigner {
  /** Always `private_key_jwt`. */
  readonly kind: 'private_key_jwt';
  /**
   * oauth4webapi's client authentication, signing a new assertion for every request; the key
   * is imported at the first call. A key that cannot be imported rejects with an
   * `invalid_configuration` error, whose message names no key material.
   *
   * @internal
   */
  clientAuth(): Promise<ClientAuth>;
}

/**
 * private_key_jwt client authentication (RFC 7523 §2.2, RFC 7521 §5.2 claims), with
 * WebCrypto alone: the key (PKCS #8 PEM or private JWK) imported once as non-extractable, a
 * new assertion signed for every request (WebCrypto's ECDSA signatures are already the JWS
 * `r || s` form). Its own entry point, `@mcp-oauth/core/private-key-jwt`, so applications
 * that do not use it do not bundle it.
 *
 * @example
 * ```ts
 * import { createOAuthClient } from '@mcp-oauth/core';
 * import { clientCredentials } from '@mcp-oauth/core/client-credentials';
 * import { privateKeyJwt } from '@mcp-oauth/core/private-key-jwt';
 *
 * declare const pem: string; // a PKCS #8 PEM, from the application's secret store
 * const oauth = createOAuthClient({
 *   serverUrl: 'https://mcp.example.com/mcp',
 *   client: { clientId: 'my-service', privateKey: privateKeyJwt(pem, { kid: 'key-1' }) },
 *   interaction: clientCredentials(),
 * });
 * ```
 */
export function privateKeyJwt(
  key: string | PrivateJwk,
  options: PrivateKeyJwtOptions = {},
): PrivateKeyJwtSigner {
  let imported: Promise<ClientAuth> | undefined;
  return {
    kind: 'private_key_jwt',
    clientAuth() {
      imported ??= clientAuthWith(key, options).catch((cause: unknown) => {
        imported = undefined; // a key that failed to import is tried again next time
        throw new McpOAuthError(
          'invalid_configuration',
          'The private_key_jwt key could not be imported: pass a PKCS#8 PEM or a private JWK.',
          { cause },
        );
      });
      return imported;
    },
  };
}

async function clientAuthWith(
  input: string | PrivateJwk,
  options: PrivateKeyJwtOptions,
): Promise<ClientAuth> {
  const jwk = input as PrivateJwk;
  const alg = options.alg ?? (typeof input === 'string' ? undefined : jwk.alg) ?? 'RS256';
  const algorithm = jwsAlgorithm(alg);
  if (!algorithm) throw new Error(`the signing algorithm ${alg} is not supported`);
  const { import: importParams, sign: signParams } = algorithm;
  const key =
    typeof input === 'string'
      ? await crypto.subtle.importKey('pkcs8', pkcs8Der(input), importParams, false, ['sign'])
      : await crypto.subtle.importKey('jwk', jwk as JsonWebKey, importParams, false, ['sign']);
  // the JWS alg of the key as servers name it (Ed25519 keys: Ed25519, as oauth4webapi does)
  const header = json({
    alg: alg === 'EdDSA' ? 'Ed25519' : alg,
    ...(options.kid ? { kid: options.kid } : {}),
  });
  return async (as, client, body) => {
    const now = Math.floor(Date.now() / 1000);
    const input = `${header}.${json({
      jti: base64url(crypto.getRandomValues(new Uint8Array(32))),
      aud: as.issuer,
      exp: now + 60,
      iat: now,
      nbf: now,
      iss: client.client_id,
      sub: client.client_id,
    })}`;
    const signature = await crypto.subtle.sign(signParams, key, new TextEncoder().encode(input));
    body.set('client_id', client.client_id);
    body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    body.set('client_assertion', `${input}.${base64url(new Uint8Array(signature))}`);
  };
}
