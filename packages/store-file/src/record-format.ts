import type { StoreRecord } from '@mcp-oauth/core/store';
import { open, type StoreKeys, seal } from './crypto.ts';

/**
 * Record file format. Every file starts with the 4-byte magic `MOAF` and a one-byte
 * format version; the rest depends on the version.
 *
 * v1 (current): nonce(12) ‖ AES-256-GCM ciphertext ‖ tag(16). Plaintext: UTF-8 JSON
 * `{"k": recordKey, "r": record}`. Associated data: `mcp-oauth/store-file`, the version,
 * the namespace and the file id (HMAC of the record key), NUL-separated. So a file
 * copied to another name, another namespace, or relabelled with another version fails
 * authentication; the record key itself stays secret but is bound through its HMAC and
 * checked again after decryption.
 *
 * Writers always write the current version. Readers accept every version that has a
 * migrator below, so an upgrade never strands records; a record is rewritten in the
 * current format the next time it is set.
 */
export const MAGIC = Buffer.from('MOAF', 'ascii');
export const CURRENT_VERSION = 1;
const HEADER_BYTES = MAGIC.length + 1;

export interface DecodedRecord {
  key: string;
  record: StoreRecord;
  version: number;
}

export type DecodeResult =
  | { ok: true; value: DecodedRecord }
  | {
      ok: false;
      reason: 'not_a_record' | 'unsupported_version' | 'authentication_failed' | 'malformed';
      version?: number;
    };

interface Context {
  keys: StoreKeys;
  namespace: string;
  fileId: string;
}

function aad(parts: string[]): Buffer {
  return Buffer.from(['mcp-oauth/store-file', ...parts].join('\u0000'), 'utf8');
}

function parsePayload(plain: Buffer, version: number): DecodeResult {
  try {
    const payload = JSON.parse(plain.toString('utf8')) as { k?: unknown; r?: unknown };
    if (
      typeof payload.k !== 'string' ||
      typeof payload.r !== 'object' ||
      payload.r === null ||
      Array.isArray(payload.r)
    ) {
      return { ok: false, reason: 'malformed', version };
    }
    return { ok: true, value: { key: payload.k, record: payload.r as StoreRecord, version } };
  } catch {
    return { ok: false, reason: 'malformed', version };
  }
}

/**
 * Decoders per format version. v0 is the pre-release layout (same cipher, but the
 * namespace was not bound in the associated data); it is kept as the worked example of
 * a migration: add a decoder for the old version, bump CURRENT_VERSION, write the new one.
 */
const DECODERS: Record<number, (body: Buffer, ctx: Context) => DecodeResult> = {
  0: (body, ctx) => {
    const plain = open(ctx.keys.enc, body, aad(['0', ctx.fileId]));
    return plain
      ? parsePayload(plain, 0)
      : { ok: false, reason: 'authentication_failed', version: 0 };
  },
  1: (body, ctx) => {
    const plain = open(ctx.keys.enc, body, aad(['1', ctx.namespace, ctx.fileId]));
    return plain
      ? parsePayload(plain, 1)
      : { ok: false, reason: 'authentication_failed', version: 1 };
  },
};

export function encodeRecord(
  ctx: Context,
  key: string,
  record: StoreRecord,
  version = CURRENT_VERSION,
): Buffer {
  const plaintext = Buffer.from(JSON.stringify({ k: key, r: record }), 'utf8');
  const parts = version === 0 ? ['0', ctx.fileId] : [String(version), ctx.namespace, ctx.fileId];
  return Buffer.concat([MAGIC, Buffer.from([version]), seal(ctx.keys.enc, plaintext, aad(parts))]);
}

export function decodeRecord(ctx: Context, bytes: Buffer): DecodeResult {
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    return { ok: false, reason: 'not_a_record' };
  }
  const version = bytes[MAGIC.length] as number;
  const decoder = DECODERS[version];
  if (!decoder) return { ok: false, reason: 'unsupported_version', version };
  return decoder(bytes.subarray(HEADER_BYTES), ctx);
}
