type ImportParams = RsaHashedImportParams | EcKeyImportParams | Algorithm;
type SignParams = Algorithm | RsaPssParams | EcdsaParams;

/** Per JWS algorithm (RFC 7518, RFC 8037): WebCrypto's key import parameters, and its sign/verify ones. */
const ALGORITHMS: Record<string, readonly [ImportParams, SignParams?]> = {
  RS256: [{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }],
  RS384: [{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }],
  RS512: [{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }],
  PS256: [
    { name: 'RSA-PSS', hash: 'SHA-256' },
    { name: 'RSA-PSS', saltLength: 32 },
  ],
  PS384: [
    { name: 'RSA-PSS', hash: 'SHA-384' },
    { name: 'RSA-PSS', saltLength: 48 },
  ],
  PS512: [
    { name: 'RSA-PSS', hash: 'SHA-512' },
    { name: 'RSA-PSS', saltLength: 64 },
  ],
  ES256: [
    { name: 'ECDSA', namedCurve: 'P-256' },
    { name: 'ECDSA', hash: 'SHA-256' },
  ],
  ES384: [
    { name: 'ECDSA', namedCurve: 'P-384' },
    { name: 'ECDSA', hash: 'SHA-384' },
  ],
  ES512: [
    { name: 'ECDSA', namedCurve: 'P-521' },
    { name: 'ECDSA', hash: 'SHA-512' },
  ],
  EdDSA: [{ name: 'Ed25519' }],
  Ed25519: [{ name: 'Ed25519' }],
};

/**
 * WebCrypto's parameters for a JWS algorithm: `import` for `importKey`, `sign` for `sign` and
 * `verify` (WebCrypto's ECDSA signatures are already JWS's `r || s`). Undefined when unsupported.
 */
export function jwsAlgorithm(alg: string): { import: ImportParams; sign: SignParams } | undefined {
  const found = ALGORITHMS[alg];
  return found && { import: found[0], sign: found[1] ?? found[0] };
}
