import type { FetchLike } from '../http/types.ts';
import { diagnosticsChannel } from './diagnostics-channel.ts';

/**
 * Traces each OAuth request on the TracingChannel `mcp-oauth:http` while someone subscribes
 * (the tracing code is loaded then); otherwise calls `fetch` directly and builds nothing. (On
 * Bun, whose TracingChannel has no `hasSubscribers`, the tracing code is loaded and checks.)
 */
export const traceHttp =
  (fetch: FetchLike): FetchLike =>
  (input, init) => {
    const channel = diagnosticsChannel()?.tracingChannel('mcp-oauth:http');
    return channel && channel.hasSubscribers !== false
      ? import('./trace-request.ts').then((m) => m.traceRequest(channel, fetch, input, init))
      : fetch(input, init);
  };
