import type { McpOAuthError } from '@mcp-oauth/core';
import { type Dispatcher, fetch as undiciFetch } from 'undici';
import { abortableSleep } from './abortable-sleep.ts';
import { isEventStream } from './body/event-stream-type.ts';
import { finishResponse } from './body/finish-response.ts';
import { directFetch } from './direct/direct-fetch.ts';
import { dispatchHeaders } from './direct/dispatch-headers.ts';
import type { DirectLimits } from './direct/dispatch-once.ts';
import { classifyError, type RequestContext, redactUrl } from './errors.ts';
import type { ResolvedRetry, RetryEvent } from './options.ts';
import { type PreparedRequest, requestHeaders, retryRequestView } from './prepare-request.ts';
import { backoffDelay, parseRetryAfter } from './retry/backoff.ts';
import { isRetrySafe, RETRY_STATUSES, type RetryFailure } from './retry/is-retry-safe.ts';
import { retryChannel } from './retry/retry-channel.ts';

export interface SendSettings {
  /** The dispatcher undici's fetch is given: it buffers bodies within the limits. */
  dispatcher: Dispatcher;
  /** The dispatcher below it, which `directFetch` uses with its own buffering. */
  baseDispatcher: Dispatcher;
  directLimits: DirectLimits;
  /** False: every request goes through undici's fetch (the `directDispatch` option). */
  direct: boolean;
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
  return retry.isRetrySafe
    ? retry.isRetrySafe(view, failure)
    : isRetrySafe(view, failure, retry.retryPost);
}

/** The wait before the next attempt, or undefined when no retry fits the budget. */
function nextDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  retry: ResolvedRetry,
  started: number,
): number | undefined {
  if (attempt >= retry.attempts) return undefined;
  const delay = Math.max(backoffDelay(attempt, retry), retryAfterMs ?? 0);
  return Date.now() - started + delay <= retry.maxTotalMs ? delay : undefined;
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
 * Sends a prepared request, retrying as the policy allows. Returns the response (the last one
 * when retries are exhausted, whatever its status) or throws a typed error; an abort by the
 * caller's signal rejects with the signal's reason, at any step.
 */
export async function send(request: PreparedRequest, settings: SendSettings): Promise<Response> {
  const { retry } = settings;
  const started = Date.now();
  const signal = request.signal;

  for (let attempt = 1; ; attempt++) {
    let phase: 'request' | 'body' = 'request';
    try {
      // Most requests go straight to the dispatcher, with fetch's behaviour at about half its
      // CPU; the rest (see `dispatchHeaders`) through undici's fetch.
      const direct = settings.direct ? dispatchHeaders(request) : undefined;
      const response =
        direct === undefined
          ? await undiciFetch(request.url, fetchInitOf(request, settings.dispatcher))
          : await directFetch(request, direct, settings.baseDispatcher, settings.directLimits);
      if (RETRY_STATUSES.has(response.status)) {
        const failure: RetryFailure = { type: 'status', status: response.status };
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const delay = nextDelay(attempt, retryAfter, retry, started);
        if (delay !== undefined && mayRetry(request, failure, retry)) {
          await response.body?.cancel().catch(() => {});
          announce(settings, request, attempt, delay, failure);
          await abortableSleep(delay, signal);
          continue;
        }
      }
      // Other bodies were read whole by the buffering handler: only event streams need work.
      if (response.body === null || !isEventStream(response.headers.get('content-type'))) {
        return response as unknown as Response;
      }
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
    } catch (thrown) {
      // Headers given as a record are first converted by fetch: if they are invalid, throw
      // the TypeError `new Headers` gives them (nothing was sent), as for any other input.
      if (attempt === 1 && request.headers === undefined && thrown instanceof TypeError) {
        requestHeaders(request);
      }
      if (signal?.aborted) throw signal.reason;
      const { error, failure }: { error: McpOAuthError; failure: RetryFailure | undefined } =
        classifyError(thrown, phase, contextOf(request, attempt), timeoutsOf(settings));
      const delay =
        failure === undefined ? undefined : nextDelay(attempt, undefined, retry, started);
      if (failure === undefined || delay === undefined || !mayRetry(request, failure, retry)) {
        throw error;
      }
      announce(settings, request, attempt, delay, failure);
      await abortableSleep(delay, signal);
    }
  }
}
