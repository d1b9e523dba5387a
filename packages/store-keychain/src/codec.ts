import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

export type Encoding = 'br' | 'raw';

export interface Encoded {
  readonly encoding: Encoding;
  readonly data: Uint8Array;
}

/** JSON text, brotli-compressed when that makes it smaller. */
export function encodeJson(value: unknown): Encoded {
  const raw = Buffer.from(JSON.stringify(value), 'utf8');
  const compressed = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 6,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  return compressed.length < raw.length
    ? { encoding: 'br', data: compressed }
    : { encoding: 'raw', data: raw };
}

/** Throws on anything that is not valid data of the given encoding. */
export function decodeJson(encoding: Encoding, data: Uint8Array): unknown {
  const raw = encoding === 'br' ? brotliDecompressSync(data) : Buffer.from(data);
  return JSON.parse(raw.toString('utf8'));
}
