import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { BodyBuffer } from './body-buffer.ts';
import { isEventStream } from './event-stream-type.ts';
import { IdleWatch, type Watched } from './idle-watch.ts';
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

/** The handler interface undici's own fetch and API methods implement (undici's "v1" handlers). */
interface LegacyHandler {
  onConnect?(abort: (reason?: Error) => void, context?: unknown): void;
  onResponseStarted?(): void;
  onHeaders?(
    statusCode: number,
    rawHeaders: Buffer[],
    resume: () => void,
    statusText?: string,
  ): boolean | undefined;
  onData?(chunk: Buffer): boolean | undefined;
  onComplete?(trailers: unknown): void;
  onError?(error: Error): void;
  onUpgrade?(statusCode: number, rawHeaders: Buffer[], socket: unknown): unknown;
  onBodySent?(chunk: unknown): void;
  onRequestSent?(): void;
}

/** Lower-case ASCII comparison of a raw header name with a lower-case `name`. */
function nameIs(raw: Buffer | string, name: string): boolean {
  if (raw.length !== name.length) return false;
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  return text === name || text.toLowerCase() === name;
}

function rawValue(value: Buffer | string | (Buffer | string)[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined
    ? undefined
    : typeof first === 'string'
      ? first
      : first.toString('utf8');
}

const noop = (): void => {};

/**
 * `BufferingHandler` for undici's legacy handler interface, which undici's fetch uses: it
 * talks to the dispatcher and to the inner handler in that interface, so no adapter converts
 * the raw headers to an object and back on every request. Same behaviour as `BufferingHandler`.
 */
class LegacyBufferingHandler implements LegacyHandler, Watched {
  #inner: LegacyHandler;
  #limits: BufferLimits;
  #watch: IdleWatch | undefined;
  // The IdleWatch list node.
  lastData = 0;
  prev: Watched | undefined;
  next: Watched | undefined;
  watched = false;
  #abort: (reason?: Error) => void = noop;
  #passThrough = false;
  #started = false;
  #statusCode = 0;
  #rawHeaders: Buffer[] | undefined;
  #resume: () => void = noop;
  #statusText: string | undefined;
  #body: BodyBuffer;

  constructor(inner: LegacyHandler, limits: BufferLimits, watch: IdleWatch | undefined) {
    this.#inner = inner;
    this.#limits = limits;
    this.#watch = watch;
    this.#body = new BodyBuffer(limits.maxResponseBytes);
  }

  idle(timeoutMs: number): void {
    this.#abort(new BodyIdleSignal(timeoutMs));
  }

  onConnect(abort: (reason?: Error) => void, context?: unknown): void {
    this.#abort = abort;
    this.#inner.onConnect?.(abort, context);
  }

  onResponseStarted(): void {
    this.#inner.onResponseStarted?.();
  }

  onUpgrade(statusCode: number, rawHeaders: Buffer[], socket: unknown): unknown {
    return this.#inner.onUpgrade?.(statusCode, rawHeaders, socket);
  }

  onBodySent(chunk: unknown): void {
    this.#inner.onBodySent?.(chunk);
  }

  onRequestSent(): void {
    this.#inner.onRequestSent?.();
  }

  onHeaders(
    statusCode: number,
    rawHeaders: Buffer[],
    resume: () => void,
    statusText?: string,
  ): boolean {
    let contentType: string | undefined;
    let contentLength: string | undefined;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i] as Buffer;
      if (contentType === undefined && nameIs(name, 'content-type')) {
        contentType = rawValue(rawHeaders[i + 1]);
      } else if (contentLength === undefined && nameIs(name, 'content-length')) {
        contentLength = rawValue(rawHeaders[i + 1]);
      }
    }
    if (statusCode < 200 || isEventStream(contentType ?? null)) {
      this.#passThrough = true;
      return this.#inner.onHeaders?.(statusCode, rawHeaders, resume, statusText) !== false;
    }
    const announced = Number(contentLength ?? Number.NaN);
    if (announced > this.#limits.maxResponseBytes) {
      this.#abort(new BodyTooLargeSignal(this.#limits.maxResponseBytes, announced));
      return true;
    }
    this.#started = true;
    this.#statusCode = statusCode;
    this.#rawHeaders = rawHeaders;
    this.#resume = resume;
    this.#statusText = statusText;
    this.#watch?.touch(this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#passThrough) return this.#inner.onData?.(chunk) !== false;
    const tooLarge = this.#body.add(chunk);
    if (tooLarge !== undefined) {
      this.#watch?.stop(this);
      this.#abort(tooLarge);
      return true;
    }
    if (this.watched) this.#watch?.touch(this);
    return true;
  }

  onComplete(trailers: unknown): void {
    if (!this.#passThrough && this.#started) {
      this.#watch?.stop(this);
      this.#inner.onHeaders?.(
        this.#statusCode,
        this.#rawHeaders as Buffer[],
        this.#resume,
        this.#statusText,
      );
      this.#rawHeaders = undefined;
      const body = this.#body.take();
      if (body !== undefined) this.#inner.onData?.(body);
    }
    this.#inner.onComplete?.(trailers);
  }

  onError(error: Error): void {
    this.#watch?.stop(this);
    this.#body.clear();
    const known = error instanceof BodyTooLargeSignal || error instanceof BodyIdleSignal;
    const afterHeaders = this.#started && !known;
    if (!this.#inner.onError) throw afterHeaders ? new BodyPhaseFailure(error) : error;
    this.#inner.onError(afterHeaders ? new BodyPhaseFailure(error) : error);
  }
}

/**
 * Wraps `dispatcher` so that every request it dispatches goes through the buffering handler:
 * undici's legacy handlers (fetch's) get `LegacyBufferingHandler`, newer ones
 * `BufferingHandler`. Like `Dispatcher.compose`, the result is a proxy of `dispatcher` whose
 * `dispatch` is replaced, without compose's handler adapters.
 */
export function withBuffering<D extends Dispatcher>(dispatcher: D, limits: BufferLimits): D {
  const dispatch = dispatcher.dispatch.bind(dispatcher);
  const watch = limits.bodyTimeoutMs > 0 ? new IdleWatch(limits.bodyTimeoutMs) : undefined;
  const buffered = (options: Dispatcher.DispatchOptions, handler: object): boolean =>
    dispatch(
      options,
      'onRequestStart' in handler && typeof handler.onRequestStart === 'function'
        ? new BufferingHandler(handler as Handler, limits)
        : (new LegacyBufferingHandler(
            handler as LegacyHandler,
            limits,
            watch,
          ) as unknown as Dispatcher.DispatchHandler),
    );
  return new Proxy(dispatcher, {
    get: (target, key) => (key === 'dispatch' ? buffered : Reflect.get(target, key)),
  });
}
