import { base64url } from '../util/base64url.ts';
import type { DpopKey } from './keys.ts';

/**
 * An RFC 9449 §4.2 proof for a resource server request: `htm`, `htu` (without
 * query and fragment), `iat`, a fresh `jti`, `ath` (the access token's SHA-256),
 * the MCP DPoP profile's `content_digest` of the body (`contentDigest`) and the
 * server's nonce when it gave one.
 */
export async function resourceProof(
  key: DpopKey,
  args: {
    method: string;
    url: string;
    accessToken: string;
    contentDigest: string;
    nonce?: string;
    now: number;
  },
): Promise<string> {
  const { SignJWT } = await import('jose'); // loaded only when DPoP is used
  const htu = new URL(args.url);
  htu.search = '';
  htu.hash = '';
  const ath = base64url(
    new Uint8Array(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(args.accessToken)),
    ),
  );
  return new SignJWT({
    htm: args.method.toUpperCase(),
    htu: htu.href,
    ath,
    content_digest: args.contentDigest,
    ...(args.nonce ? { nonce: args.nonce } : {}),
  })
    .setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk })
    .setIssuedAt(Math.floor(args.now / 1000))
    .setJti(crypto.randomUUID())
    .sign(key.keyPair.privateKey);
}
