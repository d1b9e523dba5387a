import type { McpOAuthError } from '@mcp-oauth/core';
import { backoffDelay, parseRetryAfter, redactUrl, sleep } from '@mcp-oauth/internal';
import { type Dispatcher, fetch as undiciFetch } from 'undici';
import { isEventStream } from './body/event-stream-type.ts';
import { finishResponse } from './body/finish-response.ts';
import { limitDecodedBody } from './body/limit-decoded-body.ts';
import { classifyError, type RequestContext } from './errors.ts';
import type { ResolvedRetry, RetryEvent } from './options.ts';
import { type PreparedRequest, requestHeaders, retryRequestView } from './prepare-request.ts';
import { isRetrySafe, RETRY_STATUSES, type RetryFailure } from './retry/is-retry-safe.ts';
import { retryChannel } from './retry/retry-channel.ts';

export interface SendSettings {
  /** The dispatcher undici's fetch is given: it buffers bodies within the limits. */
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

type Timeouts = { connect: number; headers: number; body: number };
type FetchInit = NonNullable<Parameters<typeof undiciFetch>[1]>;

/** The timeouts of `settings`, as errors name them; computed once per settings object. */
const timeoutsCache = new WeakMap<SendSettings, Timeouts>();
function timeoutsOf(settings: SendSettings): Timeouts {
  let timeouts = timeoutsCache.get(settings);
  if (timeouts === undefined) {
    timeouts = {
      connect: settings.connectTimeoutMs,
      headers: settings.headersTimeoutMs,
      body: settings.bodyTimeoutMs,
    };
    timeoutsCache.set(settings, timeouts);
  }
  return timeouts;
}

function mayRetry(request: PreparedRequest, failure: RetryFailure, retry: ResolvedRetry): boolean {
  const view = retryRequestView(request);
  return retry.isRetrySafe ? retry.isRetrySafe(view, failure) : isRetrySafe(view, failure);
}

/** The wait before the next attempt, or undefined when no attempt is left. */
function nextDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  retry: ResolvedRetry,
): number | undefined {
  return attempt >= retry.attempts ? undefined : backoffDelay(attempt, retry, retryAfterMs);
}

function announce(
  settings: SendSettings,
  request: PreparedRequest,
  attempt: number,
  delayMs: number,
  failure: RetryFailure,
): void {
  const observed = settings.onRetry !== undefined || retryChannel.hasSubscribers;
  if (!observed) return;
  const event: RetryEvent = {
    type: 'retry',
    method: request.method,
    url: redactUrl(request.url),
    attempt,
    delayMs,
    failure,
  };
  if (retryChannel.hasSubscribers) retryChannel.publish(event);
  try {
    settings.onRetry?.(event);
  } catch {
    // An observer's failure must not change the request's outcome.
  }
}

function contextOf(request: PreparedRequest, attempt: number): RequestContext {
  return { method: request.method, url: redactUrl(request.url), attempts: attempt };
}

/**
 * undici's fetch arguments for `request`. Members that hold their defaults (a GET, no body, no
 * signal, the default redirect mode) are left out, which spares fetch their conversion.
 * Built per attempt: an `isRetrySafe` predicate may have turned the headers into a `Headers`.
 */
function fetchInitOf(request: PreparedRequest, dispatcher: Dispatcher): FetchInit {
  const init: Record<string, unknown> = { headers: request.fetchHeaders, dispatcher };
  if (request.method !== 'GET') init.method = request.method;
  if (request.body !== null) init.body = request.body;
  if (request.signal !== undefined) init.signal = request.signal;
  if (request.redirect !== undefined) init.redirect = request.redirect;
  return init as FetchInit;
}

/**
 * Sends a prepared request through undici's fetch, retrying as the policy allows (by default
 * it makes one request). Returns the response (the last one when retries are exhausted,
 * whatever its status) or throws a typed error whose `details.phase` says how far the request
 * got; an abort by the caller's signal rejects with the signal's reason, at any step.
 */
export async function send(request: PreparedRequest, settings: SendSettings): Promise<Response> {
  const { retry } = settings;
  const signal = request.signal;

  for (let attempt = 1; ; attempt++) {
    let phase: 'request' | 'body' = 'request';
    try {
      const response = await undiciFetch(request.url, fetchInitOf(request, settings.dispatcher));
      if (retry.attempts > 1 && RETRY_STATUSES.has(response.status)) {
        const failure: RetryFailure = { type: 'status', status: response.status };
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const delay = nextDelay(attempt, retryAfter, retry);
        if (delay !== undefined && mayRetry(request, failure, retry)) {
          await response.body?.cancel().catch(() => {});
          announce(settings, request, attempt, delay, failure);
          await sleep(delay, signal);
          continue;
        }
      }
      if (response.body === null) return response as unknown as Response;
      // Other bodies were read whole by the buffering interceptor: event streams need guards,
      // and compressed bodies a limit on what they decode to.
      if (isEventStream(response.headers.get('content-type'))) {
        phase = 'body';
        const context = contextOf(request, attempt);
        return await finishResponse(response, {
          maxEventBytes: settings.maxEventBytes,
          maxEventStreamBytes: settings.maxEventStreamBytes,
          eventStreamIdleTimeoutMs: settings.eventStreamIdleTimeoutMs,
          context,
          mapStreamError: (error) =>
            signal?.aborted
              ? signal.reason
              : classifyError(error, 'body', context, timeoutsOf(settings)).error,
        });
      }
      if (response.headers.has('content-encoding')) {
        phase = 'body';
        return await limitDecodedBody(response, settings.maxResponseBytes);
      }
      return response as unknown as Response;
    } catch (thrown) {
      // Headers given as a record are first converted by fetch: if they are invalid, throw
      // the TypeError `new Headers` gives them (nothing was sent), as for any other input.
      if (attempt === 1 && request.headers === undefined && thrown instanceof TypeError) {
        requestHeaders(request);
      }
      if (signal?.aborted) throw signal.reason;
      const { error, failure }: { error: McpOAuthError; failure: RetryFailure | undefined } =
        classifyError(thrown, phase, contextOf(request, attempt), timeoutsOf(settings));
      const delay = failure === undefined ? undefined : nextDelay(attempt, undefined, retry);
      if (failure === undefined || delay === undefined || !mayRetry(request, failure, retry)) {
        throw error;
      }
      announce(settings, request, attempt, delay, failure);
      await sleep(delay, signal);
    }
  }
}
