import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOAuthClient, McpOAuthError } from '@mcp-oauth/core';
import { dpop } from '@mcp-oauth/core/dpop';
import { headlessInteraction } from '@mcp-oauth/core/flow';
import { storeKeys } from '@mcp-oauth/core/store';
import { fileStore } from '@mcp-oauth/store-file';
import { type Stack, secretCollectingFetch, serializeAll, startStack } from '@mcp-oauth/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentMcpOAuth } from '../src/index.ts';

/**
 * The adapter with the real OpenTelemetry SDK (in-memory exporters) and the real servers: a
 * login, a refresh, a step-up and a store lock timeout become metrics and spans, with no
 * secret in any of them.
 */

const approve = () => headlessInteraction({ redirectUri: 'http://127.0.0.1:9/callback' });

function telemetry() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const metricsExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricsExporter,
    exportIntervalMillis: 3_600_000, // exported on forceFlush only
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    spans,
    /** Every data point of the metric `name`, as last collected. */
    async points(name: string): Promise<DataPoint<unknown>[]> {
      await meterProvider.forceFlush();
      const last = metricsExporter.getMetrics().at(-1);
      return (last?.scopeMetrics ?? [])
        .flatMap((s) => s.metrics)
        .filter((m) => m.descriptor.name === name)
        .flatMap((m) => m.dataPoints as DataPoint<unknown>[]);
    },
    exported: () => [metricsExporter.getMetrics(), spans.getFinishedSpans()],
  };
}

const sum = (points: DataPoint<unknown>[], attributes: Record<string, unknown> = {}) =>
  points
    .filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v))
    .reduce((total, p) => total + (typeof p.value === 'number' ? p.value : 0), 0);

describe('instrumentMcpOAuth', () => {
  let stack: Stack;
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    stack = await startStack({ mcp: { dpop: 'accepted' } });
  });
  afterAll(async () => {
    await stack?.close();
    context.disable();
  });

  it('records metrics and spans of a login, a refresh, a step-up and a lock timeout, without a secret', async () => {
    const otel = telemetry();
    const instrumentation = instrumentMcpOAuth({
      tracerProvider: otel.tracerProvider,
      meterProvider: otel.meterProvider,
    });
    const wire = secretCollectingFetch();
    const directory = mkdtempSync(join(tmpdir(), 'otel-'));
    const oauth = createOAuthClient({
      serverUrl: stack.mcp.url,
      store: fileStore({ directory }),
      fetch: wire.fetch,
      interaction: approve(),
      client: { tokenEndpointAuthMethod: 'client_secret_basic' },
      dpop: dpop(),
      scopes: ['mcp:read'],
      lock: { timeoutMs: 200 },
    });
    const app = otel.tracerProvider.getTracer('app');
    const sdk = new Client({ name: 'otel-test', version: '0.0.0' });
    await app.startActiveSpan('app.session', async (parent) => {
      await sdk.connect(
        new StreamableHTTPClientTransport(new URL(stack.mcp.url), {
          fetch: oauth.fetch as typeof fetch,
        }),
      );
      await oauth.refresh();
      await sdk.callTool({ name: 'admin_reset', arguments: {} }); // step-up to mcp:admin
      parent.end();
    });
    const tokens = await oauth.status();
    const held = await fileStore({ directory }).lock(
      storeKeys.tokens(tokens?.issuer ?? '', tokens?.resource ?? ''),
    );
    const failure = await oauth.refresh().catch((e: unknown) => e);
    await held.release();
    expect(McpOAuthError.is(failure, 'store_lock_timeout')).toBe(true);
    await sdk.close();

    // counters
    const issuer = stack.as.issuer;
    const refreshes = await otel.points('mcp_oauth.refresh.count');
    expect(sum(refreshes, { 'mcp_oauth.issuer': issuer, 'mcp_oauth.outcome': 'success' })).toBe(1);
    expect(
      sum(refreshes, { 'mcp_oauth.outcome': 'failure', 'error.type': 'store_lock_timeout' }),
    ).toBe(1);
    expect(sum(await otel.points('mcp_oauth.authorization.start.count'))).toBe(2); // login, step-up
    expect(
      sum(await otel.points('mcp_oauth.authorization.completion.count'), {
        'mcp_oauth.issuer': issuer,
      }),
    ).toBe(2);
    expect(sum(await otel.points('mcp_oauth.step_up.count'), { 'mcp_oauth.issuer': issuer })).toBe(
      1,
    );
    expect(
      sum(await otel.points('mcp_oauth.lock.timeout.count'), { 'mcp_oauth.store': 'file' }),
    ).toBe(1);
    const lockWaits = (await otel.points('mcp_oauth.lock.wait.duration')) as DataPoint<Histogram>[];
    expect(lockWaits.map((p) => p.attributes)).toEqual(
      expect.arrayContaining([
        { 'mcp_oauth.store': 'file', 'mcp_oauth.lock.outcome': 'acquired' },
        { 'mcp_oauth.store': 'file', 'mcp_oauth.lock.outcome': 'timeout' },
      ]),
    );
    expect(
      lockWaits.find((p) => p.attributes['mcp_oauth.lock.outcome'] === 'timeout')?.value.min,
    ).toBeGreaterThanOrEqual(0.2);

    // the duration histogram of OAuth requests, with the HTTP client attributes
    const durations = (await otel.points(
      'mcp_oauth.http.client.request.duration',
    )) as DataPoint<Histogram>[];
    const port = Number(new URL(issuer).port);
    const refreshRequests = durations.find(
      (p) =>
        p.attributes['mcp_oauth.grant_type'] === 'refresh_token' &&
        p.attributes['http.response.status_code'] === 200,
    );
    expect(refreshRequests?.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'server.port': port,
      'http.response.status_code': 200,
      'mcp_oauth.request.kind': 'token',
      'mcp_oauth.grant_type': 'refresh_token',
    });
    expect(refreshRequests?.value.count).toBeGreaterThanOrEqual(1);
    const kinds = new Set(durations.map((p) => p.attributes['mcp_oauth.request.kind']));
    expect([...kinds]).toEqual(expect.arrayContaining(['discovery', 'registration', 'token']));
    // url.full is for spans: metric attributes stay low in cardinality
    expect(durations.every((p) => p.attributes['url.full'] === undefined)).toBe(true);

    // spans: one CLIENT span per OAuth request, children of the application's span
    const spans = otel.spans.getFinishedSpans();
    const parent = spans.find((s) => s.name === 'app.session');
    const http = spans.filter((s) => s.kind === SpanKind.CLIENT);
    expect(http.length).toBe(durations.reduce((n, p) => n + p.value.count, 0));
    const tokenSpan = http.find((s) => s.attributes['mcp_oauth.grant_type'] === 'refresh_token');
    expect(tokenSpan).toMatchObject({
      name: 'POST',
      attributes: {
        'http.request.method': 'POST',
        'url.full': expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/\S+$/),
        'server.address': '127.0.0.1',
        'http.response.status_code': 200,
      },
    });
    expect(tokenSpan?.parentSpanContext?.spanId).toBe(parent?.spanContext().spanId);
    for (const span of http) expect(String(span.attributes['url.full'])).not.toContain('?');
    // the application's span notes what happened in it
    expect(parent?.events.map((e) => e.name)).toEqual(
      expect.arrayContaining(['mcp_oauth.refreshed', 'mcp_oauth.step_up']),
    );

    // no secret anywhere in what was exported
    expect(wire.secrets.size).toBeGreaterThanOrEqual(6);
    const everything = serializeAll(otel.exported());
    expect(everything).toContain('mcp_oauth.grant_type'); // the serialization reaches attributes
    for (const secret of wire.secrets) expect(everything).not.toContain(secret);

    // disabled: nothing more is recorded
    instrumentation.disable();
    const before = http.length;
    await oauth.discover({ refresh: true });
    expect(otel.spans.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT)).toHaveLength(
      before,
    );
    await otel.meterProvider.shutdown();
    await otel.tracerProvider.shutdown();
  });

  it('a failed request is an error span with the error code as error.type', async () => {
    const otel = telemetry();
    using _ = instrumentMcpOAuth({
      tracerProvider: otel.tracerProvider,
      meterProvider: otel.meterProvider,
    });
    const oauth = createOAuthClient({
      serverUrl: 'http://127.0.0.1:9/mcp', // discard port: nothing listens
      interaction: approve(),
      retry: { attempts: 1 },
    });
    const failure = await oauth.discover().catch((e: unknown) => e);
    expect(McpOAuthError.is(failure, 'network_error')).toBe(true);
    const [span] = otel.spans.getFinishedSpans();
    expect(span).toMatchObject({
      name: 'GET',
      status: { code: 2, message: 'network_error' },
      attributes: { 'error.type': 'network_error', 'mcp_oauth.request.kind': 'discovery' },
    });
    expect(
      sum(await otel.points('mcp_oauth.failure.count'), { 'error.type': 'network_error' }),
    ).toBe(1);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
