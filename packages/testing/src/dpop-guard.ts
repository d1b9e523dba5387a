import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import {
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  type JWK,
  jwtVerify,
} from 'jose';

export interface DpopStats {
  /** Requests that presented a DPoP-bound token with a valid proof. */
  dpopRequests: number;
  /** Requests refused for a missing or invalid proof. */
  dpopRejected: number;
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');

/** The proof algorithms the guard verifies (listed in metadata and challenges). */
export const DPOP_ALGS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const;

const RAW_BODY = Symbol('raw body');

/**
 * The `verify` option of the JSON body parser in front of `dpopGuard`: it keeps the raw bytes
 * of the body, which the MCP DPoP profile's `content_digest` is computed over.
 */
export function keepRawBody(req: unknown, _res: unknown, bytes: Buffer): void {
  (req as { [RAW_BODY]?: Buffer })[RAW_BODY] = bytes;
}

/** `sha-256=:<base64 of SHA-256(body)>:` (RFC 9530); a body the parser left alone counts as empty. */
function contentDigest(req: Request): string {
  const body = (req as { [RAW_BODY]?: Buffer })[RAW_BODY] ?? Buffer.alloc(0);
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

/**
 * RFC 9449 §7 at the resource server: `Authorization: DPoP <token>` with a `DPoP` proof
 * whose key thumbprint is the token's `cnf.jkt`, whose `htm`/`htu` name this request,
 * whose `ath` is the token's hash and whose `content_digest` (MCP DPoP profile, required) is
 * that of the body: put `express.json({ verify: keepRawBody })` in front. A valid request
 * continues as a bearer request (the SDK's bearer middleware then checks the token itself);
 * a DPoP-bound token sent as Bearer, or a bad proof, is answered 401 with a DPoP challenge.
 * With `required`, so is every request without a DPoP-bound token (no token: a bare `DPoP`
 * challenge naming the algorithms and the resource metadata).
 */
export function dpopGuard(
  url: string,
  stats: DpopStats,
  options: { required?: boolean; resourceMetadataUrl?: string | undefined } = {},
) {
  const algs = `algs="${DPOP_ALGS.join(' ')}"`;
  const metadata = options.resourceMetadataUrl
    ? `, resource_metadata="${options.resourceMetadataUrl}"`
    : '';
  return async (req: Request, res: Response, next: NextFunction) => {
    const authorization = req.headers.authorization ?? '';
    const [scheme, token] = authorization.split(' ', 2);
    const refuse = (error: string, description: string) => {
      stats.dpopRejected += 1;
      res
        .status(401)
        .set(
          'WWW-Authenticate',
          `DPoP error="${error}", error_description="${description}", ${algs}${metadata}`,
        )
        .json({ error, error_description: description });
    };
    if (!token) {
      if (!options.required) return next();
      res.status(401).set('WWW-Authenticate', `DPoP ${algs}${metadata}`).json({
        error: 'invalid_token',
        error_description: 'a DPoP-bound access token is required',
      });
      return;
    }
    let claims: { cnf?: { jkt?: string } };
    try {
      claims = decodeJwt(token) as typeof claims;
    } catch {
      return next(); // not a JWT: the bearer middleware refuses it
    }
    const jkt = claims.cnf?.jkt;
    if (scheme?.toLowerCase() === 'bearer') {
      if (jkt) return refuse('invalid_token', 'DPoP-bound token sent as a bearer token');
      return options.required
        ? refuse('invalid_token', 'this resource accepts only DPoP-bound tokens')
        : next();
    }
    if (scheme?.toLowerCase() !== 'dpop') return next();
    const proof = req.headers.dpop;
    if (typeof proof !== 'string') return refuse('invalid_dpop_proof', 'missing DPoP proof');
    try {
      const header = decodeProtectedHeader(proof);
      if (header.typ !== 'dpop+jwt' || !header.jwk || !header.alg) throw new Error('bad header');
      const { payload } = await jwtVerify(proof, await importJWK(header.jwk as JWK, header.alg), {
        typ: 'dpop+jwt',
      });
      const htu = new URL(String(payload.htu));
      const ath = b64url(createHash('sha256').update(token).digest());
      if (payload.htm !== req.method) throw new Error('htm');
      if (`${htu.origin}${htu.pathname}` !== url) throw new Error('htu');
      if (payload.ath !== ath) throw new Error('ath');
      if (payload.content_digest !== contentDigest(req)) throw new Error('content_digest');
      if (typeof payload.iat !== 'number' || Math.abs(Date.now() / 1000 - payload.iat) > 120)
        throw new Error('iat');
      if (!jkt || (await calculateJwkThumbprint(header.jwk as JWK, 'sha256')) !== jkt)
        throw new Error('key');
    } catch (error) {
      return refuse(
        'invalid_dpop_proof',
        `invalid DPoP proof (${error instanceof Error ? error.message : 'error'})`,
      );
    }
    stats.dpopRequests += 1;
    req.headers.authorization = `Bearer ${token}`;
    return next();
  };
}
