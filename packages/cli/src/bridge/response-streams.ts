import type { FetchFn } from './remote-transport.ts';

/**
 * Streamable HTTP answers a request with an SSE stream. When that stream ends before it carried
 * the response and the SDK cannot resume it (no event id was seen: the SDK resumes a POST's
 * stream only after a priming event with an id), nobody would ever answer the host's request.
 * This fetch reports such ends, with the request's id, so that the bridge answers with an error.
 * Only streamed answers are looked at (JSON answers, the common case, pass untouched); the
 * request body is parsed for its id only then.
 */
export function watchResponseStreams(
  fetch: FetchFn,
  onUnresumableEnd: (id: string | number) => void,
): FetchFn {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (
      init?.method !== 'POST' ||
      typeof init.body !== 'string' ||
      !response.body ||
      !response.headers.get('content-type')?.includes('text/event-stream')
    )
      return response;
    const id = requestId(init.body);
    if (id === undefined) return response;
    const reader = response.body.getReader();
    let resumable = false;
    let tail = new Uint8Array(0);
    const ended = () => {
      if (!resumable) onUnresumableEnd(id);
    };
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          ended();
          controller.error(error);
          return;
        }
        if (chunk.done) {
          ended();
          controller.close();
          return;
        }
        if (!resumable) {
          resumable = hasEventId(tail, chunk.value);
          tail = chunk.value.subarray(Math.max(0, chunk.value.length - 3));
        }
        controller.enqueue(chunk.value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function requestId(body: string): string | number | undefined {
  try {
    const message: unknown = JSON.parse(body);
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
    const { id, method } = message as { id?: unknown; method?: unknown };
    return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number')
      ? id
      : undefined;
  } catch {
    return undefined;
  }
}

const ID_FIELD = [0x69, 0x64, 0x3a]; // "id:"

/** Whether an SSE `id:` field starts in this chunk (at a line start; `tail` ends the previous chunk). */
function hasEventId(tail: Uint8Array, chunk: Uint8Array): boolean {
  const bytes = new Uint8Array(tail.length + chunk.length);
  bytes.set(tail);
  bytes.set(chunk, tail.length);
  for (let i = 0; i + 2 < bytes.length; i++) {
    if (bytes[i] !== ID_FIELD[0] || bytes[i + 1] !== ID_FIELD[1] || bytes[i + 2] !== ID_FIELD[2])
      continue;
    const before = i === 0 ? (tail.length === 0 ? 0x0a : -1) : bytes[i - 1];
    if (before === 0x0a || before === 0x0d) return true;
  }
  return false;
}
