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
 * `response_too_large` is thrown. A silence longer than `idleTimeoutMs` cancels the stream
 * and throws `timeout` (phase body). Other stream errors are rethrown as they are.
 */
export async function readBounded(
  body: ReadableStream<Uint8Array>,
  options: ReadBoundedOptions,
): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let idle: McpOAuthErrorLike | undefined;
  // One timer for the whole read, pushed back after each chunk; when it fires, cancelling the
  // reader settles the pending read, and the loop below reports the timeout.
  const timer =
    options.idleTimeoutMs > 0
      ? setTimeout(() => {
          idle = timeoutError('body', options.idleTimeoutMs, options.context);
          reader.cancel(idle).catch(() => {});
        }, options.idleTimeoutMs)
      : undefined;
  try {
    for (;;) {
      const result = await reader.read();
      if (idle !== undefined) throw idle;
      if (result.done) break;
      timer?.refresh();
      total += result.value.byteLength;
      if (total > options.maxBytes) {
        throw tooLargeError(options.maxBytes, total, options.context, 'maxResponseBytes');
      }
      chunks.push(result.value);
    }
  } catch (error) {
    reader.cancel(error).catch(() => {});
    throw idle ?? error;
  } finally {
    clearTimeout(timer);
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

type McpOAuthErrorLike = ReturnType<typeof timeoutError>;
