import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { BodyBuffer } from './body-buffer.ts';
import { isEventStream } from './event-stream-type.ts';
import { BodyIdleSignal, BodyPhaseFailure, BodyTooLargeSignal } from './signals.ts';

export interface BufferLimits {
  maxResponseBytes: number;
  /** Longest silence between body chunks, in ms; 0 for none. */
  bodyTimeoutMs: number;
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
  #body: BodyBuffer;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(inner: Handler, limits: BufferLimits) {
    this.#inner = inner;
    this.#limits = limits;
    this.#body = new BodyBuffer(limits.maxResponseBytes);
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
    const tooLarge = this.#body.add(chunk);
    if (tooLarge !== undefined) {
      clearTimeout(this.#timer);
      controller.abort(tooLarge);
      return;
    }
    this.#timer?.refresh();
  }

  onResponseEnd(controller: Controller, trailers: IncomingHttpHeaders): void {
    if (!this.#passThrough && this.#start !== undefined) {
      clearTimeout(this.#timer);
      const [statusCode, headers, statusMessage] = this.#start;
      this.#inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
      const body = this.#body.take();
      if (body !== undefined) this.#inner.onResponseData?.(controller, body);
    }
    this.#inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Controller, error: Error): void {
    clearTimeout(this.#timer);
    this.#body.clear();
    const known = error instanceof BodyTooLargeSignal || error instanceof BodyIdleSignal;
    const afterHeaders = this.#start !== undefined && !known;
    this.#inner.onResponseError?.(controller, afterHeaders ? new BodyPhaseFailure(error) : error);
  }
}

/**
 * An undici interceptor (for `Dispatcher.compose`) that sends every request through the
 * buffering handler. undici adapts the handlers of its own fetch to the current handler API.
 */
export function bufferingInterceptor(
  limits: BufferLimits,
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) =>
    dispatch(options, new BufferingHandler(handler, limits));
}
