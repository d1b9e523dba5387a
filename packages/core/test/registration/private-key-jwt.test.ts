import { decodeProtectedHeader, exportJWK, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ClientConfig, PrivateJwk } from '../../src/registration/client-config.ts';
import { privateKeyJwt } from '../../src/registration/private-key-jwt.ts';

const as = { issuer: 'https://as.example' };
const client = { client_id: 'svc' };

/** Runs the client authentication and returns the form it filled in. */
async function assertionFor(config: ClientConfig) {
  const auth = await privateKeyJwt(config);
  const body = new URLSearchParams();
  await auth(as, client, body, new Headers());
  return body;
}

describe('private_key_jwt client assertions (RFC 7523 §2.2), signed with WebCrypto', () => {
  for (const alg of ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const) {
    it(`${alg}: from a PKCS #8 PEM and from a private JWK, verifiable with the public key`, async () => {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      const pem = await exportPKCS8(privateKey);
      const jwk = { ...(await exportJWK(privateKey)), alg } as PrivateJwk;
      for (const config of [
        { privateKey: pem, privateKeyAlg: alg },
        { privateKey: jwk, privateKeyId: 'k1' },
      ] satisfies ClientConfig[]) {
        const body = await assertionFor(config);
        expect(body.get('client_id')).toBe('svc');
        expect(body.get('client_assertion_type')).toBe(
          'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        );
        const assertion = body.get('client_assertion') ?? '';
        const { payload } = await jwtVerify(assertion, publicKey, {
          issuer: 'svc',
          subject: 'svc',
          audience: as.issuer,
        });
        expect(typeof payload.jti).toBe('string');
        expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(60);
        const header = decodeProtectedHeader(assertion);
        expect(header.alg).toBe(alg === 'EdDSA' ? 'Ed25519' : alg);
        if ('privateKeyId' in config) expect(header.kid).toBe('k1');
      }
    });
  }

  it('a fresh jti for every assertion', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const config = { privateKey: await exportPKCS8(privateKey), privateKeyAlg: 'ES256' };
    const a = await assertionFor(config);
    const b = await assertionFor(config);
    const jti = (form: URLSearchParams) =>
      JSON.parse(atob((form.get('client_assertion') ?? '').split('.')[1] ?? '')).jti;
    expect(jti(a)).not.toBe(jti(b));
  });

  it('refuses what is not a private key, naming no key material', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const notPem = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ';
    for (const privateKey of [
      notPem,
      `-----BEGIN PRIVATE KEY-----\n${notPem}\n-----END PRIVATE KEY-----`,
      publicJwk,
    ]) {
      const error = await privateKeyJwt({ privateKey: privateKey as never }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).not.toContain(notPem);
    }
    await expect(privateKeyJwt({ privateKey: 'x', privateKeyAlg: 'HS256' })).rejects.toThrow(
      /HS256 is not supported/,
    );
  });
});
