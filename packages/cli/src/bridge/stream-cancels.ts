import type { RequestId } from './messages.ts';

/**
 * MCP 2026-07-28 cancels a request over Streamable HTTP by closing its response stream (no
 * `notifications/cancelled` is sent), and over stdio by `notifications/cancelled`. The bridge
 * turns the one into the other: each 2026-07-28 request's HTTP exchange gets its own signal, and
 * the host's cancellation aborts it.
 */
export interface StreamCancels {
  /** The signal for the HTTP exchange of request `id` (joined with the transport's own). */
  track(id: RequestId, signal?: AbortSignal | null): AbortSignal;
  /** Closes the exchange of request `id`; false when none is open (a 2025-era request, say). */
  cancel(id: RequestId): boolean;
  /** Request `id` was answered or failed: nothing left to close. */
  settle(id: RequestId): void;
}

export function createStreamCancels(): StreamCancels {
  const open = new Map<RequestId, AbortController>();
  return {
    track(id, signal) {
      const controller = new AbortController();
      open.set(id, controller);
      return signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    },
    cancel(id) {
      const controller = open.get(id);
      if (!controller) return false;
      open.delete(id);
      controller.abort(new Error('The host cancelled the request.'));
      return true;
    },
    settle(id) {
      open.delete(id);
    },
  };
}
