import type { ClientAuth } from 'oauth4webapi';
import { base64url } from '../util/base64url.ts';
import { jwsAlgorithm } from '../util/jws-algorithms.ts';
import type { ClientConfig, PrivateJwk } from './client-config.ts';

/** The PKCS #8 DER bytes of a `-----BEGIN PRIVATE KEY-----` PEM. */
function pkcs8Der(pem: string): Uint8Array<ArrayBuffer> {
  const body = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(pem);
  if (!body?.[1]) throw new Error('the key is not a PKCS #8 PEM private key (BEGIN PRIVATE KEY)');
  return Uint8Array.from(atob(body[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0));
}

const json = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));

/**
 * private_key_jwt client authentication (RFC 7523 §2.2, RFC 7521 §5.2 claims), with
 * WebCrypto alone: the key (PKCS #8 PEM or private JWK) imported as non-extractable, a new
 * assertion signed for every request (WebCrypto's ECDSA signatures are already the JWS
 * `r || s` form). Loaded only by applications that use it. Throws plain errors, which name
 * no key material; the caller maps them.
 */
export async function privateKeyJwt(config: ClientConfig): Promise<ClientAuth> {
  const input = config.privateKey;
  const jwk = input as PrivateJwk;
  const alg = config.privateKeyAlg ?? (typeof input === 'string' ? undefined : jwk.alg) ?? 'RS256';
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
    ...(config.privateKeyId ? { kid: config.privateKeyId } : {}),
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
