import type { OAuthHttpRequest } from '@mcp-oauth/core';
import {
  context,
  type Meter,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
} from '@opentelemetry/api';
import { errorTypeOf, requestAttributes } from './attributes.ts';
import { trace } from './channels.ts';

/** The buckets the HTTP semantic conventions advise for `http.client.request.duration` (s). */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/**
 * A CLIENT span per OAuth request (named by its method, as the HTTP conventions name spans
 * without a URL template) and its duration in `mcp_oauth.http.client.request.duration`.
 */
export function recordHttpRequests(tracer: Tracer, meter: Meter): () => void {
  const duration = meter.createHistogram('mcp_oauth.http.client.request.duration', {
    description:
      'Duration of OAuth requests (discovery, registration, token, revocation, ...), body read included.',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const spans = new WeakMap<object, Span>();
  return trace('mcp-oauth:http', {
    start(message) {
      const request = message as OAuthHttpRequest;
      spans.set(
        request,
        tracer.startSpan(
          request.method,
          { kind: SpanKind.CLIENT, attributes: requestAttributes(request, true) },
          context.active(),
        ),
      );
    },
    // after a success and after a failure alike (tracePromise publishes error, then asyncEnd)
    asyncEnd(message) {
      const request = message as OAuthHttpRequest;
      if (request.durationMs !== undefined)
        duration.record(request.durationMs / 1000, requestAttributes(request, false));
      const span = spans.get(request);
      if (!span) return;
      spans.delete(request);
      span.setAttributes(requestAttributes(request, true));
      const errorType = errorTypeOf(request);
      if (errorType) span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
      span.end();
    },
  });
}
