/** The parts of `node:diagnostics_channel` core publishes with. */
export interface Channel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

export interface TracingChannel {
  /** Node ≥ 20.13 and Deno; Bun has only the channels' own (below). */
  readonly hasSubscribers?: boolean;
  readonly start: Channel;
  readonly end: Channel;
  readonly asyncStart: Channel;
  readonly asyncEnd: Channel;
  readonly error: Channel;
  tracePromise<T>(fn: () => Promise<T>, context: object): Promise<T>;
}

interface DiagnosticsChannel {
  channel(name: string): Channel;
  tracingChannel(name: string): TracingChannel;
}

let found: DiagnosticsChannel | null | undefined;

/**
 * `diagnostics_channel`, where the runtime has one (Node ≥ 20.16, Deno, Bun), looked up at first
 * use through `process.getBuiltinModule`: core imports no Node module, and on runtimes without
 * it (browsers, workers) nothing is published.
 */
export function diagnosticsChannel(): DiagnosticsChannel | undefined {
  found ??=
    ((
      globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
    ).process?.getBuiltinModule?.('node:diagnostics_channel') as DiagnosticsChannel) ?? null;
  return found ?? undefined;
}
