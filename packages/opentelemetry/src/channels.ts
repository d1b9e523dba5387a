import diagnostics_channel from 'node:diagnostics_channel';

/** Subscribes `listener` to a diagnostics channel; returns the unsubscription. */
export function listen(name: string, listener: (message: unknown) => void): () => void {
  const onMessage = (message: unknown) => {
    try {
      listener(message);
    } catch {
      // telemetry must never break the application's flow
    }
  };
  diagnostics_channel.subscribe(name, onMessage);
  return () => {
    diagnostics_channel.unsubscribe(name, onMessage);
  };
}

type TraceHandlers = Partial<
  Record<'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error', (context: unknown) => void>
>;

/** Subscribes `handlers` to a TracingChannel; returns the unsubscription. */
export function trace(name: string, handlers: TraceHandlers): () => void {
  const channel = diagnostics_channel.tracingChannel(name);
  const guarded: TraceHandlers = {};
  for (const [event, handler] of Object.entries(handlers) as [keyof TraceHandlers, never][]) {
    guarded[event] = (context: unknown) => {
      try {
        (handler as (context: unknown) => void)(context);
      } catch {
        // telemetry must never break the application's flow
      }
    };
  }
  channel.subscribe(guarded as never);
  return () => {
    channel.unsubscribe(guarded as never);
  };
}
