import { BodyTooLargeSignal } from './signals.ts';

/**
 * The chunks of a response body held back until it is whole, counted against a limit. The
 * common case, a body in one chunk, is kept without an array or a copy.
 */
export class BodyBuffer {
  readonly #limit: number;
  #first: Buffer | undefined;
  #chunks: Buffer[] | undefined;
  #received = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Bytes received so far. */
  get received(): number {
    return this.#received;
  }

  /** Keeps `chunk`; past the limit, drops what it holds and returns the signal to abort with. */
  add(chunk: Buffer): BodyTooLargeSignal | undefined {
    this.#received += chunk.length;
    if (this.#received > this.#limit) {
      this.clear();
      return new BodyTooLargeSignal(this.#limit, this.#received);
    }
    if (this.#first === undefined) this.#first = chunk;
    else if (this.#chunks === undefined) this.#chunks = [this.#first, chunk];
    else this.#chunks.push(chunk);
    return undefined;
  }

  /** The whole body (undefined when nothing arrived), and lets go of the chunks. */
  take(): Buffer | undefined {
    const body = this.#chunks === undefined ? this.#first : Buffer.concat(this.#chunks);
    this.clear();
    return body;
  }

  clear(): void {
    this.#first = undefined;
    this.#chunks = undefined;
  }
}
