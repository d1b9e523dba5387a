import { type MeterProvider, metrics, type TracerProvider, trace } from '@opentelemetry/api';
import { recordEvents } from './events.ts';
import { recordHttpRequests } from './http-requests.ts';
import { VERSION } from './version.ts';

/**
 * Options of `instrumentMcpOAuth`: where spans and metrics go.
 *
 * @example
 * ```ts
 * import { instrumentMcpOAuth } from '@mcp-oauth/opentelemetry';
 * import { MeterProvider } from '@opentelemetry/sdk-metrics';
 * import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
 *
 * const instrumentation = instrumentMcpOAuth({
 *   tracerProvider: new BasicTracerProvider(),
 *   meterProvider: new MeterProvider(),
 * });
 * ```
 */
export interface InstrumentMcpOAuthOptions {
  /** Where spans go. Default: the global tracer provider (`trace.setGlobalTracerProvider`, or the Node SDK's). */
  tracerProvider?: TracerProvider;
  /** Where metrics go. Default: the global meter provider. */
  meterProvider?: MeterProvider;
}

/**
 * What `instrumentMcpOAuth` returns: the handle that stops recording.
 *
 * @example
 * ```ts
 * import { instrumentMcpOAuth } from '@mcp-oauth/opentelemetry';
 *
 * {
 *   using instrumentation = instrumentMcpOAuth();
 *   // ... OAuth requests made here are recorded
 * } // disabled here
 * ```
 */
export interface McpOAuthInstrumentation {
  /** Stops recording: unsubscribes from every channel. Idempotent. */
  disable(): void;
  /** The same as `disable()`, for `using`. */
  [Symbol.dispose](): void;
}

/**
 * Records OpenTelemetry metrics and spans from the diagnostics channels of `@mcp-oauth/core`
 * and its store and transport packages, in this process, until `disable()`.
 *
 * @example
 * ```ts
 * import { instrumentMcpOAuth } from '@mcp-oauth/opentelemetry';
 *
 * const instrumentation = instrumentMcpOAuth(); // the global tracer and meter providers
 * // ... later, on shutdown:
 * instrumentation.disable();
 * ```
 */
export function instrumentMcpOAuth(
  options: InstrumentMcpOAuthOptions = {},
): McpOAuthInstrumentation {
  const tracerProvider = options.tracerProvider ?? trace.getTracerProvider();
  const meterProvider = options.meterProvider ?? metrics.getMeterProvider();
  const scope = '@mcp-oauth/opentelemetry';
  const unsubscribers = [
    recordHttpRequests(
      tracerProvider.getTracer(scope, VERSION),
      meterProvider.getMeter(scope, VERSION),
    ),
    recordEvents(meterProvider.getMeter(scope, VERSION)),
  ];
  const disable = () => {
    for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
  };
  return { disable, [Symbol.dispose]: disable };
}
