import type { McpOAuthEvent, StoreLockMessage } from '@mcp-oauth/core';
import { type Attributes, type Meter, trace } from '@opentelemetry/api';
import { listen } from './channels.ts';

/** The retry `@mcp-oauth/transport-fetch` publishes on `mcp-oauth:http.retry`. */
interface TransportRetry {
  method: string;
  failure: { type: 'status'; status: number } | { type: 'network'; code: string };
}

type EventOf<T extends McpOAuthEvent['type']> = Extract<McpOAuthEvent, { type: T }>;

/**
 * Counters of refreshes, authorizations, step-ups, retries and failures, the store lock wait
 * histogram, and an event on the active span for each (their attributes: issuers, grant
 * kinds, error codes, store kinds; never a token, a key or a URL's query).
 */
export function recordEvents(meter: Meter): () => void {
  const refreshes = meter.createCounter('mcp_oauth.refresh.count', {
    description: 'Token refreshes, by outcome (success, failure, skipped) and reason of failure.',
  });
  const authorizationStarts = meter.createCounter('mcp_oauth.authorization.start.count', {
    description: 'Authorizations started, by grant (redirect, device, client_credentials, ...).',
  });
  const authorizationCompletions = meter.createCounter('mcp_oauth.authorization.completion.count', {
    description: 'Authorizations completed with tokens.',
  });
  const stepUps = meter.createCounter('mcp_oauth.step_up.count', {
    description: 'Step-up authorizations asked for by an MCP server (insufficient_scope).',
  });
  const retries = meter.createCounter('mcp_oauth.retry.count', {
    description: 'Retries of transient failures, by layer (core, transport) and error type.',
  });
  const failures = meter.createCounter('mcp_oauth.failure.count', {
    description: 'Failures reported to the application, by error code.',
  });
  const lockWaits = meter.createHistogram('mcp_oauth.lock.wait.duration', {
    description:
      'Time spent acquiring a store lock, by store and outcome (acquired, timeout, error).',
    unit: 's',
  });
  const lockTimeouts = meter.createCounter('mcp_oauth.lock.timeout.count', {
    description: 'Store lock acquisitions that timed out.',
  });

  /** Adds a span event `mcp_oauth.<type>` to the caller's active span, if any. */
  const note = (name: string, attributes: Attributes) =>
    trace.getActiveSpan()?.addEvent(`mcp_oauth.${name}`, attributes);

  const on = <T extends McpOAuthEvent['type']>(type: T, record: (event: EventOf<T>) => void) =>
    listen(`mcp-oauth:${type}`, (message) => record(message as EventOf<T>));

  const unsubscribers = [
    on('refreshed', (e) => {
      const attributes = {
        'mcp_oauth.issuer': e.issuer,
        'mcp_oauth.outcome': 'success',
        'mcp_oauth.rotated': e.rotated,
      };
      refreshes.add(1, attributes);
      note('refreshed', attributes);
    }),
    on('refresh_skipped', (e) => {
      refreshes.add(1, { 'mcp_oauth.issuer': e.issuer, 'mcp_oauth.outcome': 'skipped' });
    }),
    on('refresh_failed', (e) => {
      const attributes = {
        'mcp_oauth.issuer': e.issuer,
        'mcp_oauth.outcome': 'failure',
        'error.type': e.reason,
      };
      refreshes.add(1, attributes);
      note('refresh_failed', attributes);
    }),
    on('authorization_started', (e) => {
      const attributes = { 'mcp_oauth.issuer': e.issuer, 'mcp_oauth.grant': e.via };
      authorizationStarts.add(1, attributes);
      note('authorization_started', attributes);
    }),
    on('authorized', (e) => {
      authorizationCompletions.add(1, { 'mcp_oauth.issuer': e.issuer });
      note('authorized', { 'mcp_oauth.issuer': e.issuer });
    }),
    on('step_up', (e) => {
      stepUps.add(1, { 'mcp_oauth.issuer': e.issuer });
      note('step_up', { 'mcp_oauth.issuer': e.issuer, 'mcp_oauth.step_up.attempt': e.attempt });
    }),
    on('retry', (e) => {
      retries.add(1, { 'mcp_oauth.retry.layer': 'core', 'error.type': e.reason });
    }),
    on('failure', (e) => {
      failures.add(1, { 'error.type': e.code });
    }),
    listen('mcp-oauth:http.retry', (message) => {
      const { method, failure } = message as TransportRetry;
      retries.add(1, {
        'mcp_oauth.retry.layer': 'transport',
        'http.request.method': method,
        'error.type': failure.type === 'status' ? String(failure.status) : failure.code,
      });
    }),
    listen('mcp-oauth:lock', (message) => {
      const lock = message as StoreLockMessage;
      const attributes = { 'mcp_oauth.store': lock.store, 'mcp_oauth.lock.outcome': lock.outcome };
      lockWaits.record(lock.waitedMs / 1000, attributes);
      if (lock.outcome === 'timeout') lockTimeouts.add(1, { 'mcp_oauth.store': lock.store });
    }),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
