import type { JWK } from 'jose';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import { oauth } from '../util/oauth4webapi.ts';

/** When to bind tokens with DPoP (RFC 9449). */
export type DpopMode = 'auto' | 'always' | 'off';

/** A DPoP key pair for one (issuer, resource). */
export interface DpopKey {
  alg: string;
  keyPair: CryptoKeyPair;
  publicJwk: JWK;
  /** RFC 7638 SHA-256 thumbprint: the `cnf.jkt` of the tokens bound to this key. */
  jkt: string;
}

/**
 * DPoP state of one client: its mode, its key pairs and the nonces servers gave.
 *
 * Keys are generated non-extractable and kept in memory, per (issuer, resource):
 * a non-extractable private key cannot be written to a JSON store, so tokens
 * bound to it do not outlive the process (a new process authorizes again).
 */
export interface DpopState {
  mode: DpopMode;
  keys: Map<string, Promise<DpopKey>>;
  /** Latest DPoP-Nonce per origin, for resource server requests (token endpoint nonces live in oauth4webapi's handle). */
  nonces: Map<string, string>;
}

export function createDpopState(mode: DpopMode): DpopState {
  return { mode, keys: new Map(), nonces: new Map() };
}

const PREFERRED = ['ES256', 'EdDSA', 'ES384', 'PS256', 'RS256', 'ES512'];

/** The algorithm to use with `as`, or undefined when DPoP is off for it. */
export function dpopAlgorithm(
  state: DpopState | undefined,
  as: AuthorizationServerMetadata,
): string | undefined {
  if (!state || state.mode === 'off') return undefined;
  const advertised = as.dpop_signing_alg_values_supported;
  if (Array.isArray(advertised) && advertised.length > 0)
    return PREFERRED.find((alg) => advertised.includes(alg));
  return state.mode === 'always' ? 'ES256' : undefined;
}

/** The key for (issuer, resource), created on first use; undefined when DPoP is off for this server. */
export function dpopKeyFor(
  state: DpopState | undefined,
  as: AuthorizationServerMetadata,
  resource: string,
): Promise<DpopKey> | undefined {
  const alg = dpopAlgorithm(state, as);
  if (!state || !alg) return undefined;
  const id = `${as.issuer} ${resource}`;
  let key = state.keys.get(id);
  if (!key) {
    key = generate(alg);
    key.catch(() => state.keys.delete(id));
    state.keys.set(id, key);
  }
  return key;
}

/** The key tokens were bound to, if this process still has it. */
export function existingDpopKey(
  state: DpopState | undefined,
  issuer: string,
  resource: string,
): Promise<DpopKey> | undefined {
  return state?.keys.get(`${issuer} ${resource}`);
}

async function generate(alg: string): Promise<DpopKey> {
  const { calculateJwkThumbprint, exportJWK } = await import('jose'); // loaded only when DPoP is used
  const keyPair = await oauth.generateKeyPair(alg, { extractable: false });
  const publicJwk = await exportJWK(keyPair.publicKey);
  return { alg, keyPair, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, 'sha256') };
}
