import { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import { BodyPhaseFailure, BodyTooLargeSignal } from '../body/signals.ts';

type Coding = 'gzip' | 'deflate' | 'br' | 'zstd';

/** Beyond this many codings a response is refused, as undici's fetch does (CVE-class DoS). */
const MAX_CODINGS = 5;

const zstd = zlib as unknown as {
  zstdDecompressSync?: (buffer: Buffer, options: object) => Buffer;
  createZstdDecompress?: (options: object) => Duplex;
};

/**
 * The content codings of a response body in the order they must be undone, as undici's fetch
 * reads `Content-Encoding`: an empty list when any coding is unknown (the body is then given
 * as it came). Throws when there are more than five.
 */
export function codingsToUndo(contentEncoding: string): Coding[] {
  const listed = contentEncoding.toLowerCase().split(',');
  if (listed.length > MAX_CODINGS) {
    throw new BodyPhaseFailure(
      new Error(`too many content-encodings in response: ${listed.length}, maximum allowed is 5`),
    );
  }
  const codings: Coding[] = [];
  for (let i = listed.length - 1; i >= 0; i--) {
    const coding = listed[i]?.trim();
    if (coding === 'gzip' || coding === 'x-gzip') codings.push('gzip');
    else if (coding === 'deflate') codings.push('deflate');
    else if (coding === 'br') codings.push('br');
    else if (coding === 'zstd' && zstd.zstdDecompressSync !== undefined) codings.push('zstd');
    else return [];
  }
  return codings;
}

/** True for a zlib-wrapped deflate stream (RFC 1950 header), false for raw deflate. */
function isZlibWrapped(body: Buffer): boolean {
  const [cmf = 0, flg = 0] = body;
  return (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}

/**
 * Undoes the codings of a whole body. The decoded size is held to `maxBytes` too, so a small
 * compressed body cannot expand past the limit. Truncated input is accepted as far as it
 * goes, as fetch does.
 */
export function decodeBuffer(body: Buffer, codings: readonly Coding[], maxBytes: number): Buffer {
  const limit = Math.min(maxBytes, 2 ** 31 - 1);
  let decoded = body;
  try {
    for (const coding of codings) {
      if (coding === 'gzip') {
        decoded = zlib.gunzipSync(decoded, {
          finishFlush: zlib.constants.Z_SYNC_FLUSH,
          maxOutputLength: limit,
        });
      } else if (coding === 'deflate') {
        const options = { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: limit };
        decoded = isZlibWrapped(decoded)
          ? zlib.inflateSync(decoded, options)
          : zlib.inflateRawSync(decoded, options);
      } else if (coding === 'br') {
        decoded = zlib.brotliDecompressSync(decoded, {
          finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
          maxOutputLength: limit,
        });
      } else {
        decoded = (zstd.zstdDecompressSync as NonNullable<typeof zstd.zstdDecompressSync>)(
          decoded,
          { maxOutputLength: limit },
        );
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyTooLargeSignal(maxBytes, maxBytes + 1);
    }
    throw new BodyPhaseFailure(error as Error);
  }
  return decoded;
}

function decoderFor(coding: Coding): Duplex {
  if (coding === 'gzip') {
    return zlib.createGunzip({
      flush: zlib.constants.Z_SYNC_FLUSH,
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    });
  }
  if (coding === 'deflate') {
    return zlib.createInflate({
      flush: zlib.constants.Z_SYNC_FLUSH,
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    });
  }
  if (coding === 'br') {
    return zlib.createBrotliDecompress({
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
    });
  }
  return (zstd.createZstdDecompress as NonNullable<typeof zstd.createZstdDecompress>)({});
}

/** Undoes the codings of a body that is read as it arrives (an event stream). */
export function decodeStream(
  body: ReadableStream<Uint8Array>,
  codings: readonly Coding[],
): ReadableStream<Uint8Array> {
  let decoded = body;
  for (const coding of codings) {
    decoded = decoded.pipeThrough(
      Duplex.toWeb(decoderFor(coding)) as unknown as {
        readable: ReadableStream<Uint8Array>;
        writable: WritableStream<Uint8Array>;
      },
    );
  }
  return decoded;
}
