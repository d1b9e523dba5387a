import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { isEventStream } from './event-stream-type.ts';

export interface BufferLimits {
  maxResponseBytes: number;
  /** Longest silence between body chunks, in ms; 0 for none. */
  bodyTimeoutMs: number;
}

/** The body grew past `maxResponseBytes` (or Content-Length announced more). */
export class BodyTooLargeSignal extends Error {
  constructor(
    readonly limit: number,
    readonly received: number,
  ) {
    super(`response body larger than ${limit} bytes`);
  }
}

/** The body went silent for longer than `bodyTimeoutMs`. */
export class BodyIdleSignal extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no response body data for ${timeoutMs} ms`);
  }
}

/** A failure after the response headers arrived: the server processed the request. */
export class BodyPhaseFailure extends Error {
  readonly code: string | undefined;
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.code = (cause as { code?: string }).code;
  }
}

type Handler = Dispatcher.DispatchHandler;
type Controller = Dispatcher.DispatchController;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Holds back a response (not `text/event-stream`) until its whole body has arrived, counting
 * bytes as they come: past the limit, or after too long a silence, the request is aborted,
 * which closes the connection. Fetch then sees either a complete response or an error, so a
 * connection reset while the body is read can be retried like any other failure, and the body
 * the caller reads can no longer fail. Event streams pass through untouched.
 */
class BufferingHandler implements Handler {
  #inner: Handler;
  #limits: BufferLimits;
  #passThrough = false;
  #start: [number, IncomingHttpHeaders, string | undefined] | undefined;
  #chunks: Buffer[] = [];
  #received = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(inner: Handler, limits: BufferLimits) {
    this.#inner = inner;
    this.#limits = limits;
  }

  onRequestStart(controller: Controller, context: unknown): void {
    this.#inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(
    controller: Controller,
    status: number,
    headers: IncomingHttpHeaders,
    socket: never,
  ): void {
    this.#inner.onRequestUpgrade?.(controller, status, headers, socket);
  }

  onResponseStart(
    controller: Controller,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    if (statusCode < 200 || isEventStream(header(headers, 'content-type') ?? null)) {
      this.#passThrough = true;
      this.#inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
      return;
    }
    const announced = Number(header(headers, 'content-length') ?? Number.NaN);
    if (announced > this.#limits.maxResponseBytes) {
      controller.abort(new BodyTooLargeSignal(this.#limits.maxResponseBytes, announced));
      return;
    }
    this.#start = [statusCode, headers, statusMessage];
    const timeoutMs = this.#limits.bodyTimeoutMs;
    if (timeoutMs > 0) {
      this.#timer = setTimeout(() => controller.abort(new BodyIdleSignal(timeoutMs)), timeoutMs);
      this.#timer.unref?.();
    }
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.#passThrough) {
      this.#inner.onResponseData?.(controller, chunk);
      return;
    }
    this.#received += chunk.length;
    if (this.#received > this.#limits.maxResponseBytes) {
      clearTimeout(this.#timer);
      controller.abort(new BodyTooLargeSignal(this.#limits.maxResponseBytes, this.#received));
      return;
    }
    this.#timer?.refresh();
    this.#chunks.push(chunk);
  }

  onResponseEnd(controller: Controller, trailers: IncomingHttpHeaders): void {
    if (!this.#passThrough && this.#start !== undefined) {
      clearTimeout(this.#timer);
      const [statusCode, headers, statusMessage] = this.#start;
      this.#inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
      if (this.#received > 0) {
        const body = this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks);
        this.#chunks = [];
        if (body !== undefined) this.#inner.onResponseData?.(controller, body);
      }
    }
    this.#inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Controller, error: Error): void {
    clearTimeout(this.#timer);
    this.#chunks = [];
    const known = error instanceof BodyTooLargeSignal || error instanceof BodyIdleSignal;
    const afterHeaders = this.#start !== undefined && !known;
    this.#inner.onResponseError?.(controller, afterHeaders ? new BodyPhaseFailure(error) : error);
  }
}

/** The undici interceptor that installs `BufferingHandler` on every request. */
export function bufferingInterceptor(
  limits: BufferLimits,
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) =>
    dispatch(options, new BufferingHandler(handler, limits));
}
