import type { McpOAuthError } from '@mcp-oauth/core';
import { type Dispatcher, fetch as undiciFetch } from 'undici';
import { abortableSleep } from './abortable-sleep.ts';
import { finishResponse } from './body/finish-response.ts';
import { classifyError, type RequestContext, redactUrl } from './errors.ts';
import type { ResolvedRetry, RetryEvent } from './options.ts';
import { type PreparedRequest, retryRequestView } from './prepare-request.ts';
import { backoffDelay, parseRetryAfter } from './retry/backoff.ts';
import { isRetrySafe, RETRY_STATUSES, type RetryFailure } from './retry/is-retry-safe.ts';

export interface SendSettings {
  dispatcher: Dispatcher;
  retry: ResolvedRetry;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  eventStreamIdleTimeoutMs: number;
  maxResponseBytes: number;
  maxEventBytes: number;
  maxEventStreamBytes: number;
  onRetry: ((event: RetryEvent) => void) | undefined;
}

function mayRetry(request: PreparedRequest, failure: RetryFailure, retry: ResolvedRetry): boolean {
  const view = retryRequestView(request);
  return retry.isRetrySafe
    ? retry.isRetrySafe(view, failure)
    : isRetrySafe(view, failure, retry.retryPost);
}

/**
 * Sends a prepared request, retrying as the policy allows. Returns the response (the last one
 * when retries are exhausted, whatever its status) or throws a typed error; an abort by the
 * caller's signal rejects with the signal's reason, at any step.
 */
export async function send(request: PreparedRequest, settings: SendSettings): Promise<Response> {
  const { retry, dispatcher } = settings;
  const started = Date.now();
  const signal = request.signal;
  const timeouts = {
    connect: settings.connectTimeoutMs,
    headers: settings.headersTimeoutMs,
    body: settings.bodyTimeoutMs,
  };
  const url = redactUrl(request.url);

  /** The wait before the next attempt, or undefined when no retry fits the budget. */
  const nextDelay = (attempt: number, retryAfterMs: number | undefined): number | undefined => {
    if (attempt >= retry.attempts) return undefined;
    const delay = Math.max(backoffDelay(attempt, retry), retryAfterMs ?? 0);
    return Date.now() - started + delay <= retry.maxTotalMs ? delay : undefined;
  };
  const announce = (attempt: number, delayMs: number, failure: RetryFailure): void => {
    try {
      settings.onRetry?.({ type: 'retry', method: request.method, url, attempt, delayMs, failure });
    } catch {
      // An observer's failure must not change the request's outcome.
    }
  };

  for (let attempt = 1; ; attempt++) {
    const context: RequestContext = { method: request.method, url, attempts: attempt };
    let phase: 'request' | 'body' = 'request';
    try {
      const response = await undiciFetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal,
        dispatcher,
        ...(request.redirect === undefined ? {} : { redirect: request.redirect }),
      } as Parameters<typeof undiciFetch>[1]);
      if (RETRY_STATUSES.has(response.status)) {
        const failure: RetryFailure = { type: 'status', status: response.status };
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const delay = nextDelay(attempt, retryAfter);
        if (delay !== undefined && mayRetry(request, failure, retry)) {
          await response.body?.cancel().catch(() => {});
          announce(attempt, delay, failure);
          await abortableSleep(delay, signal);
          continue;
        }
      }
      phase = 'body';
      return await finishResponse(response, {
        maxEventBytes: settings.maxEventBytes,
        maxEventStreamBytes: settings.maxEventStreamBytes,
        eventStreamIdleTimeoutMs: settings.eventStreamIdleTimeoutMs,
        context,
        mapStreamError: (error) =>
          signal?.aborted ? signal.reason : classifyError(error, 'body', context, timeouts).error,
      });
    } catch (thrown) {
      if (signal?.aborted) throw signal.reason;
      const { error, failure }: { error: McpOAuthError; failure: RetryFailure | undefined } =
        classifyError(thrown, phase, context, timeouts);
      const delay = failure === undefined ? undefined : nextDelay(attempt, undefined);
      if (failure === undefined || delay === undefined || !mayRetry(request, failure, retry)) {
        throw error;
      }
      announce(attempt, delay, failure);
      await abortableSleep(delay, signal);
    }
  }
}
