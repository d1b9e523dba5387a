/** The parts of `node:diagnostics_channel` core publishes with. */
export interface Channel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

export interface TracingChannel {
  /** Node ≥ 20.13; where a runtime lacks it, every request is traced. */
  readonly hasSubscribers?: boolean;
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
