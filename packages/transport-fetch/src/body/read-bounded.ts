import { type RequestContext, timeoutError, tooLargeError } from '../errors.ts';

export interface ReadBoundedOptions {
  maxBytes: number;
  /** Longest silence between chunks, in ms; 0 for none. */
  idleTimeoutMs: number;
  context: RequestContext;
}

/**
 * Reads a body into memory, never holding more than `maxBytes` plus one chunk: as soon as
 * the count passes the limit, the stream is cancelled (which closes the connection) and
 * `response_too_large` is thrown. A silence longer than `idleTimeoutMs` throws
 * `timeout` (phase body). Other stream errors are rethrown as they are.
 */
export async function readBounded(
  body: ReadableStream<Uint8Array>,
  options: ReadBoundedOptions,
): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (;;) {
      const next = reader.read();
      let result: Awaited<ReturnType<typeof reader.read>>;
      if (options.idleTimeoutMs > 0) {
        const idle = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(timeoutError('body', options.idleTimeoutMs, options.context)),
            options.idleTimeoutMs,
          );
        });
        result = await Promise.race([next, idle]);
        clearTimeout(timer);
      } else {
        result = await next;
      }
      if (result.done) break;
      total += result.value.byteLength;
      if (total > options.maxBytes) {
        throw tooLargeError(options.maxBytes, total, options.context, 'maxResponseBytes');
      }
      chunks.push(result.value);
    }
  } catch (error) {
    clearTimeout(timer);
    reader.cancel(error).catch(() => {});
    throw error;
  }
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
