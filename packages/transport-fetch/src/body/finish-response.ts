import type { Response as UndiciResponse } from 'undici';
import { type RequestContext, tooLargeError } from '../errors.ts';
import { guardEventStream } from './guard-event-stream.ts';
import { readBounded } from './read-bounded.ts';

export interface FinishOptions {
  maxResponseBytes: number;
  bodyTimeoutMs: number;
  maxEventBytes: number;
  maxEventStreamBytes: number;
  eventStreamIdleTimeoutMs: number;
  context: RequestContext;
  /** Maps errors met later while an event stream is read. */
  mapStreamError: (error: unknown) => unknown;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function isEventStream(contentType: string | null): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'text/event-stream';
}

/** A standard (global) Response carrying undici's status, headers, url and redirect flag. */
function rebuild(
  source: UndiciResponse,
  body: ConstructorParameters<typeof Response>[0],
): Response {
  const response = new Response(NULL_BODY_STATUSES.has(source.status) ? null : body, {
    status: source.status,
    statusText: source.statusText,
    headers: source.headers as unknown as Headers,
  });
  Object.defineProperty(response, 'url', { value: source.url });
  if (source.redirected) Object.defineProperty(response, 'redirected', { value: true });
  return response;
}

/**
 * Finishes a response before it is handed back:
 * - an event stream is passed through, guarded by the event and stream limits;
 * - any other body is read now, bounded by `maxResponseBytes` (refused at once when
 *   Content-Length announces more) and by the body timeout, so that a connection reset while
 *   reading can still be retried and the caller gets a body that cannot fail.
 */
export async function finishResponse(
  response: UndiciResponse,
  options: FinishOptions,
): Promise<Response> {
  const body = response.body as ReadableStream<Uint8Array> | null;
  if (body === null) return rebuild(response, null);
  if (isEventStream(response.headers.get('content-type'))) {
    return rebuild(
      response,
      guardEventStream(body, {
        maxEventBytes: options.maxEventBytes,
        maxStreamBytes: options.maxEventStreamBytes,
        idleTimeoutMs: options.eventStreamIdleTimeoutMs,
        context: options.context,
        mapError: options.mapStreamError,
      }),
    );
  }
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (announced > options.maxResponseBytes) {
    await body.cancel().catch(() => {});
    throw tooLargeError(options.maxResponseBytes, announced, options.context, 'maxResponseBytes');
  }
  const bytes = await readBounded(body, {
    maxBytes: options.maxResponseBytes,
    idleTimeoutMs: options.bodyTimeoutMs,
    context: options.context,
  });
  // undici frees the connection for the next request a turn of the event loop after the body
  // ends: without this wait, a caller's next request would often open a second connection.
  await new Promise<void>((resolve) => setImmediate(resolve));
  return rebuild(response, bytes);
}
