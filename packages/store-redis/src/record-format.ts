import type { StoreRecord } from '@mcp-oauth/core/store';
import { open, type StoreKeys, seal } from './crypto.ts';

/**
 * Values the store writes, as base64 text (so any client type mapping round-trips):
 *
 *   MAGIC(4) ‖ format version(1) ‖ nonce(12) ‖ AES-256-GCM ciphertext ‖ tag(16)
 *
 * with the magic telling the three kinds apart: `MORR` a record (plaintext: JSON
 * `{"k": key, "r": record}`), `MORK` a record key in the namespace index (plaintext: the
 * key), `MORC` the namespace's key check (a constant). The associated data binds the
 * kind, the format version, the namespace and the record id, so a value copied to another
 * key, another namespace or relabelled with another version fails authentication.
 *
 * Writers always write CURRENT_VERSION; readers keep a decoder per version they accept, so
 * an upgrade never strands records (add a decoder, bump the version).
 */
export const CURRENT_VERSION = 1;

type Kind = 'record' | 'key' | 'check';
const MAGIC: Record<Kind, Buffer> = {
  record: Buffer.from('MORR', 'ascii'),
  key: Buffer.from('MORK', 'ascii'),
  check: Buffer.from('MORC', 'ascii'),
};
const HEADER_BYTES = 5;
const CHECK_PLAINTEXT = Buffer.from('mcp-oauth/store-redis key check', 'utf8');

export interface Context {
  keys: StoreKeys;
  namespace: string;
}

export type Failure = 'not_ours' | 'unsupported_version' | 'authentication_failed' | 'malformed';
export type Opened<T> = { ok: true; value: T } | { ok: false; reason: Failure; version?: number };

function aad(kind: Kind, version: number, namespace: string, id: string): Buffer {
  return Buffer.from(
    ['mcp-oauth/store-redis', kind, String(version), namespace, id].join('\u0000'),
    'utf8',
  );
}

function sealValue(kind: Kind, ctx: Context, id: string, plaintext: Buffer): string {
  const body = seal(ctx.keys.enc, plaintext, aad(kind, CURRENT_VERSION, ctx.namespace, id));
  return Buffer.concat([MAGIC[kind], Buffer.from([CURRENT_VERSION]), body]).toString('base64');
}

function openValue(kind: Kind, ctx: Context, id: string, text: string): Opened<Buffer> {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, 4).equals(MAGIC[kind])) {
    return { ok: false, reason: 'not_ours' };
  }
  const version = bytes[4] as number;
  // One decoder today; an older format would get its own branch here.
  if (version !== 1) return { ok: false, reason: 'unsupported_version', version };
  const plain = open(ctx.keys.enc, bytes.subarray(HEADER_BYTES), aad(kind, 1, ctx.namespace, id));
  return plain
    ? { ok: true, value: plain }
    : { ok: false, reason: 'authentication_failed', version };
}

export function encodeRecord(ctx: Context, id: string, key: string, record: StoreRecord): string {
  return sealValue('record', ctx, id, Buffer.from(JSON.stringify({ k: key, r: record }), 'utf8'));
}

export function decodeRecord(
  ctx: Context,
  id: string,
  text: string,
): Opened<{ key: string; record: StoreRecord }> {
  const opened = openValue('record', ctx, id, text);
  if (!opened.ok) return opened;
  try {
    const payload = JSON.parse(opened.value.toString('utf8')) as { k?: unknown; r?: unknown };
    if (
      typeof payload.k === 'string' &&
      typeof payload.r === 'object' &&
      payload.r !== null &&
      !Array.isArray(payload.r)
    ) {
      return { ok: true, value: { key: payload.k, record: payload.r as StoreRecord } };
    }
  } catch {}
  return { ok: false, reason: 'malformed', version: CURRENT_VERSION };
}

export function encodeKey(ctx: Context, id: string, key: string): string {
  return sealValue('key', ctx, id, Buffer.from(key, 'utf8'));
}

export function decodeKey(ctx: Context, id: string, text: string): string | undefined {
  const opened = openValue('key', ctx, id, text);
  return opened.ok ? opened.value.toString('utf8') : undefined;
}

export function encodeCheck(ctx: Context): string {
  return sealValue('check', ctx, '', CHECK_PLAINTEXT);
}

export function checkOpens(ctx: Context, text: string): Opened<true> {
  const opened = openValue('check', ctx, '', text);
  if (!opened.ok) return opened;
  return opened.value.equals(CHECK_PLAINTEXT)
    ? { ok: true, value: true }
    : { ok: false, reason: 'malformed' };
}
