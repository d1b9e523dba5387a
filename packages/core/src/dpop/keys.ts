import type { JWK } from 'jose';
import { type DPoP, generateKeyPair } from 'oauth4webapi';
import type { AuthorizationServerMetadata } from '../discovery/authorization-server.ts';
import type { ProtectedResourceMetadata } from '../discovery/protected-resource.ts';
import type { FlowContext } from '../flow/context.ts';
import { storeKeys } from '../store/keys.ts';
import { readRecord, toStoreRecord } from '../store/records.ts';
import { type DpopMode, negotiateDpopAlgorithm } from './negotiate.ts';

export type { DpopMode };

/** A DPoP key pair for one (issuer, resource). The private key is non-extractable. */
export interface DpopKey {
  alg: string;
  keyPair: CryptoKeyPair;
  publicJwk: JWK;
  /** RFC 7638 SHA-256 thumbprint: the `cnf.jkt` of the tokens bound to this key. */
  jkt: string;
}

/** DPoP state of one client: its mode, its key pairs and the nonces resource servers gave. */
export interface DpopState {
  mode: DpopMode;
  persistKeys: boolean;
  keys: Map<string, Promise<DpopKey>>;
  /** `algs` of the `DPoP` challenges resource servers answered with, per origin ([] when none named). */
  challenges: Map<string, string[]>;
  /** Latest DPoP-Nonce per origin, for resource server requests (token endpoint nonces live in oauth4webapi's handle). */
  nonces: Map<string, string>;
  /** oauth4webapi DPoP handles by (key, client): they carry the token endpoint's nonce between requests. */
  handles: Map<string, ReturnType<typeof DPoP>>;
}

export function createDpopState(mode: DpopMode, persistKeys: boolean): DpopState {
  return {
    mode,
    persistKeys,
    keys: new Map(),
    challenges: new Map(),
    nonces: new Map(),
    handles: new Map(),
  };
}

/** The algorithm for tokens from `as` meant for `resource`, or undefined for Bearer tokens (see `negotiateDpopAlgorithm`). */
export function dpopAlgorithm(
  state: DpopState,
  as: AuthorizationServerMetadata,
  resource: ProtectedResourceMetadata,
): string | undefined {
  return negotiateDpopAlgorithm(state.mode, as, {
    metadata: resource,
    challenged: state.challenges.get(new URL(resource.resource).origin),
  });
}

/** The key for (issuer, resource): from memory, else from the store, else created (under the store's lock). */
export function dpopKeyFor(
  ctx: FlowContext,
  state: DpopState,
  as: AuthorizationServerMetadata,
  resourceMetadata: ProtectedResourceMetadata,
): Promise<DpopKey> | undefined {
  const alg = dpopAlgorithm(state, as, resourceMetadata);
  if (!alg) return undefined;
  const resource = resourceMetadata.resource;
  const id = `${as.issuer} ${resource}`;
  let key = state.keys.get(id);
  if (!key) {
    key = state.persistKeys ? loadOrCreate(ctx, as.issuer, resource, alg) : generate(alg);
    key.catch(() => state.keys.delete(id));
    state.keys.set(id, key);
  }
  return key;
}

/** The key tokens were bound to: in memory, or (when persisted) from the store. */
export async function boundKey(
  ctx: FlowContext,
  state: DpopState,
  tokens: { issuer: string; resource: string },
): Promise<DpopKey | undefined> {
  const id = `${tokens.issuer} ${tokens.resource}`;
  const inMemory = state.keys.get(id);
  if (inMemory) return inMemory.catch(() => undefined);
  if (!state.persistKeys) return undefined;
  const stored = await load(ctx, tokens.issuer, tokens.resource);
  if (stored) state.keys.set(id, Promise.resolve(stored));
  return stored;
}

async function load(
  ctx: FlowContext,
  issuer: string,
  resource: string,
): Promise<DpopKey | undefined> {
  const key = storeKeys.dpopKey(issuer, resource);
  const record = readRecord(await ctx.store.get(key), 'dpop_key', key);
  if (!record) return undefined;
  const { importJWK } = await import('jose');
  const privateKey = (await importJWK(record.privateJwk as JWK, record.alg, {
    extractable: false,
  })) as CryptoKey;
  const publicKey = (await importJWK(record.publicJwk as JWK, record.alg, {
    extractable: true,
  })) as CryptoKey;
  return {
    alg: record.alg,
    keyPair: { privateKey, publicKey },
    publicJwk: record.publicJwk as JWK,
    jkt: record.jkt,
  };
}

async function loadOrCreate(
  ctx: FlowContext,
  issuer: string,
  resource: string,
  alg: string,
): Promise<DpopKey> {
  const existing = await load(ctx, issuer, resource);
  if (existing) return existing;
  const lock = await ctx.store.lock(storeKeys.dpopKey(issuer, resource));
  try {
    const raced = await load(ctx, issuer, resource); // another process may have created it
    if (raced) return raced;
    const { exportJWK, calculateJwkThumbprint } = await import('jose');
    const pair = await generateKeyPair(alg, { extractable: true });
    const privateJwk = await exportJWK(pair.privateKey);
    const publicJwk = await exportJWK(pair.publicKey);
    const jkt = await calculateJwkThumbprint(publicJwk, 'sha256');
    await ctx.store.set(
      storeKeys.dpopKey(issuer, resource),
      toStoreRecord({
        v: 1,
        kind: 'dpop_key',
        issuer,
        resource,
        alg,
        jkt,
        publicJwk: { ...publicJwk },
        privateJwk: { ...privateJwk },
        createdAt: ctx.now(),
      }),
    );
    const stored = await load(ctx, issuer, resource); // the in-memory key is the non-extractable import
    if (!stored) throw new Error('the DPoP key could not be read back from the store');
    return stored;
  } finally {
    await lock.release();
  }
}

async function generate(alg: string): Promise<DpopKey> {
  const { calculateJwkThumbprint, exportJWK } = await import('jose'); // loaded only when DPoP is used
  const keyPair = await generateKeyPair(alg, { extractable: false });
  const publicJwk = await exportJWK(keyPair.publicKey);
  return { alg, keyPair, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, 'sha256') };
}
