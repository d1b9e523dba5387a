import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** A fresh RS256 signing key (private JWK for oidc-provider) and its public JWKS. */
export async function generateSigningKey(): Promise<{
  privateJwk: JWK;
  publicJwks: { keys: JWK[] };
}> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `rs256-${Date.now().toString(36)}`;
  const meta = { kid, alg: 'RS256', use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), ...meta };
  const publicJwk = { ...(await exportJWK(publicKey)), ...meta };
  return { privateJwk, publicJwks: { keys: [publicJwk] } };
}
