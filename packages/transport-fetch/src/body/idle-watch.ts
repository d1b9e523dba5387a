import { performance } from 'node:perf_hooks';

/** What `IdleWatch` keeps of a body being read: a node of its list. */
export interface Watched {
  /** When the headers or the last chunk arrived (`performance.now()`). */
  lastData: number;
  prev: Watched | undefined;
  next: Watched | undefined;
  watched: boolean;
  /** Called once the body has been silent for the whole timeout. */
  idle(timeoutMs: number): void;
}

/**
 * The body idle timeouts of one dispatcher, with a single timer instead of one per request
 * (a Node timer per response was a large share of the per-request cost). All bodies share
 * one timeout, so a list in order of last activity is in deadline order: a chunk moves its
 * body to the tail, and the timer is armed for the head's deadline. A timer that fires early
 * (its body has progressed or finished) is set again for the new head, or left off when
 * nothing is being read.
 */
export class IdleWatch {
  readonly #timeoutMs: number;
  #head: Watched | undefined;
  #tail: Watched | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Starts watching `body`, or notes its activity: it moves to the tail. */
  touch(body: Watched): void {
    body.lastData = performance.now();
    if (body.watched) {
      if (this.#tail === body) return;
      this.#unlink(body);
    }
    body.watched = true;
    body.prev = this.#tail;
    body.next = undefined;
    if (this.#tail === undefined) this.#head = body;
    else this.#tail.next = body;
    this.#tail = body;
    if (this.#timer === undefined) this.#arm(this.#timeoutMs);
  }

  /** Stops watching `body` (idempotent). The timer, if armed, finds out when it fires. */
  stop(body: Watched): void {
    if (body.watched) this.#unlink(body);
  }

  #unlink(body: Watched): void {
    if (body.prev === undefined) this.#head = body.next;
    else body.prev.next = body.next;
    if (body.next === undefined) this.#tail = body.prev;
    else body.next.prev = body.prev;
    body.prev = undefined;
    body.next = undefined;
    body.watched = false;
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(this.#fire, Math.max(1, Math.ceil(delayMs)));
    this.#timer.unref?.();
  }

  #fire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    let head = this.#head;
    while (head !== undefined && now - head.lastData >= this.#timeoutMs) {
      this.#unlink(head);
      head.idle(this.#timeoutMs);
      head = this.#head;
    }
    if (head !== undefined && this.#timer === undefined) {
      this.#arm(head.lastData + this.#timeoutMs - now);
    }
  };
}
