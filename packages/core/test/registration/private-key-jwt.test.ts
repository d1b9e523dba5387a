import { decodeProtectedHeader, exportJWK, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { McpOAuthError } from '../../src/errors/error.ts';
import type { PrivateJwk } from '../../src/registration/client-config.ts';
import {
  type PrivateKeyJwtOptions,
  privateKeyJwt,
} from '../../src/registration/private-key-jwt.ts';

const as = { issuer: 'https://as.example' };
const client = { client_id: 'svc' };

/** Runs the client authentication and returns the form it filled in. */
async function assertionFor(key: string | PrivateJwk, options?: PrivateKeyJwtOptions) {
  const auth = await privateKeyJwt(key, options).clientAuth();
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
      for (const [key, options] of [
        [pem, { alg }],
        [jwk, { kid: 'k1' }],
      ] as const) {
        const body = await assertionFor(key, options);
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
        if ('kid' in options) expect(header.kid).toBe('k1');
      }
    });
  }

  it('a fresh jti for every assertion', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const signer = privateKeyJwt(await exportPKCS8(privateKey), { alg: 'ES256' });
    const assertion = async () => {
      const body = new URLSearchParams();
      await (await signer.clientAuth())(as, client, body, new Headers());
      return body;
    };
    const a = await assertion();
    const b = await assertion();
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
      const error = await privateKeyJwt(privateKey as never)
        .clientAuth()
        .catch((e: unknown) => e);
      expect(McpOAuthError.is(error, 'invalid_configuration')).toBe(true);
      expect((error as Error).message).not.toContain(notPem);
    }
    const hs256 = await privateKeyJwt('x', { alg: 'HS256' })
      .clientAuth()
      .catch((e: unknown) => e);
    expect(McpOAuthError.is(hs256, 'invalid_configuration')).toBe(true);
    expect(((hs256 as Error).cause as Error).message).toMatch(/HS256 is not supported/);
  });
});
