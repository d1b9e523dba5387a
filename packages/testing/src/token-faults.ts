import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A fault the token endpoint plays instead of (or before) answering, for testing how a client
 * copes with a failing authorization server. Combine `delayMs` with any other field.
 *
 * @example
 * ```ts
 * import { startMcpOAuthServers, type TokenFault } from '@mcp-oauth/testing';
 *
 * await using servers = await startMcpOAuthServers();
 * const busy: TokenFault = { status: 503, headers: { 'retry-after': '1' }, times: 2 };
 * servers.injectTokenFault(busy);
 * servers.injectTokenFault({ delayMs: 2_000, reset: true }); // then a slow reset
 * ```
 */
export interface TokenFault {
  /**
   * Answer with this HTTP status instead of handling the request (the token is not issued and
   * nothing is consumed: a refresh token stays valid). The body is `body`, or
   * `{ error, error_description }` with `error` = `temporarily_unavailable` for 5xx statuses and
   * `invalid_request` otherwise.
   */
  status?: number | undefined;
  /** The response body with `status`: a string as is, anything else as JSON. */
  body?: unknown;
  /** Extra response headers with `status` (e.g. `{ 'retry-after': '1' }`). */
  headers?: Record<string, string> | undefined;
  /**
   * Wait this long before doing the rest (answering normally when nothing else is set): for
   * timeouts and for requests that race.
   */
  delayMs?: number | undefined;
  /**
   * Never answer: the request is held open until the client gives up or the server closes.
   * Nothing is issued.
   */
  drop?: boolean | undefined;
  /** Reset the connection (TCP RST) without an answer. Nothing is issued. */
  reset?: boolean | undefined;
  /** How many token requests get this fault (default 1; `Infinity` until `clearTokenFaults()`). */
  times?: number | undefined;
}

/** The token endpoint's fault queue, as middleware in front of oidc-provider. */
export interface TokenFaults {
  /** Queues a fault for the next token request(s); faults apply in the order they were added. */
  inject(fault: TokenFault): void;
  /** Removes every queued fault. */
  clear(): void;
  /**
   * Plays the next fault on a request for `tokenPath`, if any. Returns true when the request was
   * handled (answered, dropped or reset), false when it should continue to the server.
   */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Ends every held (dropped or delayed) request and its timer, for `close()`. */
  releaseHeld(): void;
}

function defaultBody(status: number): unknown {
  return {
    error: status >= 500 ? 'temporarily_unavailable' : 'invalid_request',
    error_description: 'fault injected by @mcp-oauth/testing',
  };
}

/**
 * Creates the fault queue of the token endpoint at `tokenPath` (the URL's pathname);
 * `onFault` is called for every request that meets a fault (for the counters).
 */
export function createTokenFaults(tokenPath: string, onFault: () => void): TokenFaults {
  const queue: { fault: TokenFault; left: number }[] = [];
  const held = new Set<ServerResponse>();
  const delays = new Set<() => void>();
  /** Waits `ms`, or less when the servers close (then resolves false). */
  const delay = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const cancel = () => {
        clearTimeout(timer);
        delays.delete(cancel);
        resolve(false);
      };
      const timer = setTimeout(() => {
        delays.delete(cancel);
        resolve(true);
      }, ms);
      delays.add(cancel);
    });
  return {
    inject(fault) {
      const left = fault.times ?? 1;
      if (!(left > 0)) throw new RangeError('TokenFault.times must be a positive number');
      queue.push({ fault, left });
    },
    clear() {
      queue.length = 0;
    },
    async handle(req, res) {
      if (req.method !== 'POST') return false;
      if (new URL(req.url ?? '/', 'http://x').pathname !== tokenPath) return false;
      const entry = queue[0];
      if (!entry) return false;
      entry.left -= 1;
      if (entry.left <= 0) queue.shift();
      onFault();
      const { fault } = entry;
      if (fault.delayMs) {
        const waited = await delay(fault.delayMs);
        // closing, or the client gave up while waiting: nothing left to answer
        if (!waited || res.destroyed || req.socket.destroyed) {
          req.socket.destroy();
          return true;
        }
      }
      if (fault.reset) {
        req.socket.resetAndDestroy();
        return true;
      }
      if (fault.drop) {
        held.add(res);
        res.once('close', () => held.delete(res));
        return true;
      }
      if (fault.status === undefined) return false;
      const body = fault.body === undefined ? defaultBody(fault.status) : fault.body;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(fault.status, {
        'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
        'cache-control': 'no-store',
        ...fault.headers,
      });
      res.end(text);
      return true;
    },
    releaseHeld() {
      for (const cancel of [...delays]) cancel();
      for (const res of held) res.socket?.destroy();
      held.clear();
    },
  };
}
