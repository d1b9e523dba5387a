import { type RequestContext, timeoutError, tooLargeError } from '../errors.ts';

export interface GuardEventStreamOptions {
  /** Largest single event (the bytes between two blank lines). */
  maxEventBytes: number;
  /** Largest whole stream. */
  maxStreamBytes: number;
  /** Longest silence between chunks, in ms; 0 for none. */
  idleTimeoutMs: number;
  context: RequestContext;
  /** Maps an error of the source stream (a reset, ...) to a typed one. */
  mapError: (error: unknown) => unknown;
}

const CR = 13;
const LF = 10;

/**
 * Passes a `text/event-stream` body through unchanged while counting bytes: per event (an
 * event ends at an empty line, whatever the line ending: CRLF, LF or CR) and in total. A
 * limit passed, a silence too long or a source error errors the stream with a typed error and
 * cancels the source, which closes the connection.
 */
export function guardEventStream(
  source: ReadableStream<Uint8Array>,
  options: GuardEventStreamOptions,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let total = 0;
  let eventBytes = 0;
  // Line-ending state: were the previous bytes a line end, and was the last one CR.
  let atLineStart = true;
  let lastWasCR = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const count = (chunk: Uint8Array): boolean => {
    for (let i = 0; i < chunk.byteLength; i++) {
      const byte = chunk[i];
      if (byte === LF && lastWasCR) {
        lastWasCR = false; // the LF of a CRLF: already counted as a line end
        continue;
      }
      if (byte === CR || byte === LF) {
        if (atLineStart) eventBytes = 0; // an empty line: the event is complete
        atLineStart = true;
        lastWasCR = byte === CR;
        continue;
      }
      lastWasCR = false;
      atLineStart = false;
      eventBytes++;
      if (eventBytes > options.maxEventBytes) return false;
    }
    return true;
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let result: Awaited<ReturnType<typeof reader.read>>;
        if (options.idleTimeoutMs > 0) {
          const idle = new Promise<never>((_, reject) => {
            timer = setTimeout(
              () =>
                reject(
                  timeoutError(
                    'body',
                    options.idleTimeoutMs,
                    options.context,
                    undefined,
                    'eventStreamIdleTimeoutMs',
                  ),
                ),
              options.idleTimeoutMs,
            );
          });
          result = await Promise.race([reader.read(), idle]);
          clearTimeout(timer);
        } else {
          result = await reader.read();
        }
        if (result.done) {
          controller.close();
          return;
        }
        total += result.value.byteLength;
        if (total > options.maxStreamBytes) {
          throw tooLargeError(
            options.maxStreamBytes,
            total,
            options.context,
            'maxEventStreamBytes',
          );
        }
        if (!count(result.value)) {
          throw tooLargeError(options.maxEventBytes, eventBytes, options.context, 'maxEventBytes');
        }
        controller.enqueue(result.value);
      } catch (error) {
        clearTimeout(timer);
        const mapped = options.mapError(error);
        reader.cancel(mapped).catch(() => {});
        controller.error(mapped);
      }
    },
    cancel(reason) {
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
}
