import { base64url, importJWK, importPKCS8, SignJWT } from 'jose';
import type { ClientAuth } from 'oauth4webapi';
import type { ClientConfig, PrivateJwk } from './client-config.ts';

/**
 * private_key_jwt client authentication (RFC 7523 §2.2), as oauth4webapi's PrivateKeyJwt
 * does it, signed with jose: this module (and jose) is loaded only by applications that use
 * it, a separate chunk when bundled. It imports nothing else, so that no code of the entry
 * moves to a shared chunk. Throws plain errors; the caller maps them.
 */
export async function privateKeyJwt(config: ClientConfig): Promise<ClientAuth> {
  const input = config.privateKey;
  const jwk = input as PrivateJwk;
  const alg = config.privateKeyAlg ?? (typeof input === 'string' ? undefined : jwk.alg) ?? 'RS256';
  const key =
    typeof input === 'string'
      ? await importPKCS8(input, alg, { extractable: false })
      : await importJWK(jwk, alg, { extractable: false });
  if (key instanceof Uint8Array) throw new Error('a symmetric key is not a private key');
  // the JWS alg of the key, as oauth4webapi names it (Ed25519 rather than EdDSA)
  const header = {
    alg: key.algorithm.name === 'Ed25519' ? 'Ed25519' : alg,
    ...(config.privateKeyId ? { kid: config.privateKeyId } : {}),
  };
  return async (as, client, body) => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({
      jti: base64url.encode(crypto.getRandomValues(new Uint8Array(32))),
      aud: as.issuer,
      exp: now + 60,
      iat: now,
      nbf: now,
      iss: client.client_id,
      sub: client.client_id,
    })
      .setProtectedHeader(header)
      .sign(key);
    body.set('client_id', client.client_id);
    body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    body.set('client_assertion', assertion);
  };
}
