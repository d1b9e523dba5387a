import type { Dispatcher } from 'undici';
import { BodyBuffer } from '../body/body-buffer.ts';
import type { BufferLimits } from '../body/buffer-interceptor.ts';
import { isEventStream } from '../body/event-stream-type.ts';
import type { IdleWatch, Watched } from '../body/idle-watch.ts';
import { BodyIdleSignal, BodyPhaseFailure, BodyTooLargeSignal } from '../body/signals.ts';
import type { DispatchHeaders } from './dispatch-headers.ts';

/** One HTTP exchange, before it becomes a `Response`. */
export interface RawResponse {
  status: number;
  statusText: string;
  /** Lower-case names, in the order received. */
  headers: [string, string][];
  location: string | undefined;
  contentEncoding: string | undefined;
  /** The whole body, or, for `text/event-stream`, a stream of it as it arrives. */
  body: Buffer | ReadableStream<Uint8Array>;
}

export interface DispatchRequest {
  origin: string;
  path: string;
  method: string;
  headers: DispatchHeaders;
  body: string | Uint8Array | null;
}

export interface DirectLimits extends BufferLimits {
  /** The dispatcher's shared body idle timer; undefined when bodyTimeoutMs is 0. */
  watch: IdleWatch | undefined;
}

const EMPTY = Buffer.alloc(0);

/**
 * Receives one response from undici's dispatcher (its legacy handler interface, the one
 * undici's fetch uses). A body that is not an event stream is held back until it is whole,
 * within `maxResponseBytes` and the idle timeout, as the buffering handler does for fetch, so
 * that a failure while it arrives rejects the request (and may be retried) instead of
 * breaking a body the caller reads later. An event stream is handed over at its headers, with
 * backpressure: undici pauses the socket while the stream's queue is full.
 */
class DirectHandler implements Watched {
  // The IdleWatch list node.
  lastData = 0;
  prev: Watched | undefined;
  next: Watched | undefined;
  watched = false;

  readonly #limits: DirectLimits;
  readonly #resolve: (response: RawResponse) => void;
  readonly #reject: (error: unknown) => void;
  readonly #signal: AbortSignal | undefined;
  #abort: ((reason?: Error) => void) | undefined;
  #abortReason: unknown;
  #response: RawResponse | undefined;
  #stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  readonly #body: BodyBuffer;
  #done = false;

  constructor(
    limits: DirectLimits,
    resolve: (response: RawResponse) => void,
    reject: (error: unknown) => void,
    signal: AbortSignal | undefined,
  ) {
    this.#limits = limits;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#signal = signal;
    this.#body = new BodyBuffer(limits.maxResponseBytes);
    signal?.addEventListener('abort', this.#onAbort);
  }

  /** The caller's signal: settles at once, as fetch does, even while still connecting. */
  #onAbort = (): void => {
    const reason = this.#signal?.reason;
    this.cancel(reason);
    this.onError(reason);
  };

  /** Ends the exchange with `reason`, now or as soon as the connection is known. */
  cancel(reason: unknown): void {
    if (this.#abort === undefined) this.#abortReason = reason ?? new Error('aborted');
    else this.#abort(reason as Error);
  }

  idle(timeoutMs: number): void {
    this.cancel(new BodyIdleSignal(timeoutMs));
  }

  #finish(): void {
    this.#done = true;
    this.#limits.watch?.stop(this);
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.#abort = abort;
    if (this.#abortReason !== undefined) abort(this.#abortReason as Error);
  }

  onHeaders(
    statusCode: number,
    rawHeaders: (Buffer | Buffer[])[],
    resume: () => void,
    statusText?: string,
  ): boolean {
    if (statusCode < 200) return true; // informational: the final response follows
    const headers: [string, string][] = [];
    let contentType: string | undefined;
    let contentLength: string | undefined;
    let location: string | undefined;
    let contentEncoding: string | undefined;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = (rawHeaders[i] as Buffer).toString('latin1').toLowerCase();
      const raw = rawHeaders[i + 1] as Buffer | Buffer[];
      const values = Array.isArray(raw) ? raw : [raw];
      for (const item of values) {
        const value = item.toString('latin1');
        headers.push([name, value]);
        if (name === 'content-type') contentType ??= value;
        else if (name === 'content-length') contentLength ??= value;
        else if (name === 'location') location ??= value;
        else if (name === 'content-encoding') contentEncoding ??= value;
      }
    }
    const response: RawResponse = {
      status: statusCode,
      statusText: statusText ?? '',
      headers,
      location,
      contentEncoding,
      body: EMPTY,
    };
    if (isEventStream(contentType)) {
      response.body = new ReadableStream<Uint8Array>({
        start: (controller) => {
          this.#stream = controller;
        },
        pull: () => resume(),
        cancel: (reason) => this.cancel(reason ?? new Error('the response body was cancelled')),
      });
      this.#resolve(response);
      return true;
    }
    const announced = Number(contentLength ?? Number.NaN);
    if (announced > this.#limits.maxResponseBytes) {
      this.cancel(new BodyTooLargeSignal(this.#limits.maxResponseBytes, announced));
      return true;
    }
    this.#response = response;
    this.#limits.watch?.touch(this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    // undici may hand over empty chunks (when a paused socket resumes): nothing to pass on.
    if (this.#done || chunk.length === 0) return true;
    const stream = this.#stream;
    if (stream !== undefined) {
      try {
        stream.enqueue(chunk);
      } catch {
        return true; // the reader cancelled the stream: the connection is being aborted
      }
      return (stream.desiredSize ?? 1) > 0;
    }
    const tooLarge = this.#body.add(chunk);
    if (tooLarge !== undefined) {
      this.#limits.watch?.stop(this);
      this.cancel(tooLarge);
      return true;
    }
    if (this.watched) this.#limits.watch?.touch(this);
    return true;
  }

  onComplete(): void {
    if (this.#done) return;
    this.#finish();
    if (this.#stream !== undefined) {
      try {
        this.#stream.close();
      } catch {
        // already cancelled by its reader
      }
      return;
    }
    const response = this.#response;
    if (response === undefined) {
      this.#reject(new Error('the response ended before its headers'));
      return;
    }
    response.body = this.#body.take() ?? EMPTY;
    this.#resolve(response);
  }

  onError(error: Error): void {
    if (this.#done) return;
    this.#finish();
    this.#body.clear();
    const known = error instanceof BodyTooLargeSignal || error instanceof BodyIdleSignal;
    const aborted = this.#signal?.aborted === true && error === this.#signal.reason;
    const started = this.#response !== undefined || this.#stream !== undefined;
    const reported = started && !known && !aborted ? new BodyPhaseFailure(error) : error;
    if (this.#stream !== undefined) this.#stream.error(reported);
    else this.#reject(reported);
  }

  onUpgrade(): void {
    this.onError(new Error('unexpected protocol upgrade'));
  }
}

/**
 * Sends one request through `dispatcher` and resolves with its response, or rejects with
 * what undici reported (a body failure wrapped in `BodyPhaseFailure`), or with the signal's
 * reason once it aborts.
 */
export function dispatchOnce(
  dispatcher: Dispatcher,
  request: DispatchRequest,
  limits: DirectLimits,
  signal: AbortSignal | undefined,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const handler = new DirectHandler(limits, resolve, reject, signal);
    try {
      dispatcher.dispatch(request, handler as unknown as Dispatcher.DispatchHandler);
    } catch (error) {
      handler.onError(error as Error);
    }
  });
}
