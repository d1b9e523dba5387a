import { Response as UndiciResponse } from 'undici';
import type { RequestContext } from '../errors.ts';
import { isEventStream } from './event-stream-type.ts';
import { guardEventStream } from './guard-event-stream.ts';

export interface FinishOptions {
  maxEventBytes: number;
  maxEventStreamBytes: number;
  eventStreamIdleTimeoutMs: number;
  context: RequestContext;
  /** Maps errors met later while an event stream is read. */
  mapStreamError: (error: unknown) => unknown;
}

/**
 * Finishes a response before it is handed back. Other bodies were already read whole by the
 * buffering interceptor, so they are returned as they are; an event stream is passed through,
 * guarded by the event and stream limits and the idle timeout, with typed errors.
 */
export async function finishResponse(
  response: UndiciResponse,
  options: FinishOptions,
): Promise<Response> {
  const body = response.body as ReadableStream<Uint8Array> | null;
  if (body !== null && isEventStream(response.headers.get('content-type'))) {
    const guarded = new UndiciResponse(
      guardEventStream(body, {
        maxEventBytes: options.maxEventBytes,
        maxStreamBytes: options.maxEventStreamBytes,
        idleTimeoutMs: options.eventStreamIdleTimeoutMs,
        context: options.context,
        mapError: options.mapStreamError,
      }) as ConstructorParameters<typeof UndiciResponse>[0],
      { status: response.status, statusText: response.statusText, headers: response.headers },
    );
    Object.defineProperty(guarded, 'url', { value: response.url });
    if (response.redirected) Object.defineProperty(guarded, 'redirected', { value: true });
    return guarded as unknown as Response;
  }
  return response as unknown as Response;
}
