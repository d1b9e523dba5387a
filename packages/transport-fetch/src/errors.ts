import { McpOAuthError } from '@mcp-oauth/core';
import { BodyIdleSignal, BodyPhaseFailure, BodyTooLargeSignal } from './body/signals.ts';
import type { FetchOptionNamedByErrors } from './options-named-by-errors.ts';
import type { RetryFailure } from './retry/is-retry-safe.ts';
import { BLOCKED_CODE } from './ssrf/blocked-addresses.ts';

/**
 * How far a request got when it failed, as errors carry it in `details.phase` (the contract
 * `@mcp-oauth/core` reads to decide whether a request may be repeated):
 * - `connect`: no connection was made (refused, DNS, TLS handshake, connect timeout, blocked
 *   address): nothing was sent, the server did not act;
 * - `request`: the request was or may have been sent, no response headers came (reset, headers
 *   timeout): the server may have acted;
 * - `body`: the response headers came, its body failed (cut, timeout, too large, undecodable):
 *   the server acted.
 *
 * @example
 * ```ts
 * import { McpOAuthError } from '@mcp-oauth/core';
 * import type { FailurePhase } from '@mcp-oauth/transport-fetch';
 *
 * const phaseOf = (error: unknown): FailurePhase | undefined =>
 *   error instanceof McpOAuthError ? (error.details.phase as FailurePhase | undefined) : undefined;
 * ```
 */
export type FailurePhase = 'connect' | 'request' | 'body';

export interface RequestContext {
  method: string;
  /** Origin and path only: never the query string or credentials. */
  url: string;
  attempts: number;
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
/** Failures before any connection existed: nothing was sent. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TLS_HINT = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

/** The first `code` found along the `cause` chain (and in AggregateError members). */
function findCode(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = findCode(inner, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return findCode((error as { cause?: unknown }).cause, depth + 1);
}

/** The first error along the `cause` chain that satisfies `test`. */
function findInChain<T>(error: unknown, test: (value: unknown) => value is T): T | undefined {
  let current: unknown = error;
  for (let i = 0; i < 6 && current !== undefined && current !== null; i++) {
    if (test(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function innermostMessage(error: unknown): string {
  let current: unknown = error;
  for (let i = 0; i < 5; i++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  return current instanceof Error ? current.message : String(current);
}

export function timeoutError(
  phase: 'connect' | 'headers' | 'body',
  timeoutMs: number,
  context: RequestContext,
  cause?: unknown,
  option: FetchOptionNamedByErrors = `${phase}TimeoutMs`,
): McpOAuthError {
  const what = {
    connect: 'connecting to',
    headers: 'waiting for the response of',
    body: 'reading the response of',
  }[phase];
  return new McpOAuthError(
    'timeout',
    `Timed out after ${timeoutMs} ms ${what} ${context.method} ${context.url}: the server or network is slow or unreachable. Retry later, or raise the \`${option}\` option.`,
    {
      cause,
      details: { ...context, phase: phase === 'headers' ? 'request' : phase, timeoutMs, option },
    },
  );
}

export interface ClassifiedFailure {
  error: McpOAuthError;
  /** Set when the failure is one the retry policy may consider. */
  failure: RetryFailure | undefined;
}

/**
 * Turns what undici threw into a typed error. `requestPhase` is 'request' when fetch() itself
 * rejected, 'body' when reading the response body failed; the error's `details.phase` narrows
 * it (see `FailurePhase`).
 */
export function classifyError(
  error: unknown,
  requestPhase: 'request' | 'body',
  context: RequestContext,
  timeouts: { connect: number; headers: number; body: number },
): ClassifiedFailure {
  const ours = findInChain(error, McpOAuthError.isInstance);
  if (ours !== undefined) return { error: ours, failure: undefined };
  let phase: FailurePhase = requestPhase;
  const tooLarge = findInChain(
    error,
    (e): e is BodyTooLargeSignal => e instanceof BodyTooLargeSignal,
  );
  if (tooLarge !== undefined) {
    return {
      error: tooLargeError(tooLarge.limit, tooLarge.received, context, 'maxResponseBytes'),
      failure: undefined,
    };
  }
  if (findInChain(error, (e): e is BodyIdleSignal => e instanceof BodyIdleSignal) !== undefined) {
    return { error: timeoutError('body', timeouts.body, context, error), failure: undefined };
  }
  // A failure after the headers arrived (reported by the buffering interceptor) is in the body phase.
  if (
    findInChain(error, (e): e is BodyPhaseFailure => e instanceof BodyPhaseFailure) !== undefined
  ) {
    phase = 'body';
  }
  const code = findCode(error) ?? 'UNKNOWN';
  if (code === BLOCKED_CODE)
    return { error: addressBlockedError(error, context.url), failure: undefined };
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { error: timeoutError('connect', timeouts.connect, context, error), failure: undefined };
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return { error: timeoutError('headers', timeouts.headers, context, error), failure: undefined };
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return { error: timeoutError('body', timeouts.body, context, error), failure: undefined };
  }
  let failure: RetryFailure | undefined;
  let reason = innermostMessage(error);
  let hint = 'Check the URL, the network and the proxy settings, then retry.';
  let option: FetchOptionNamedByErrors | undefined;
  if (code === 'ECONNREFUSED') {
    failure = { type: 'network', phase: 'connect', code };
    reason = 'connection refused';
  } else if (RESET_CODES.has(code)) {
    failure = { type: 'network', phase, code };
    reason =
      phase === 'body'
        ? 'connection closed while reading the response'
        : 'connection closed before a response';
  } else if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    // an https URL for a port that answers plain http (OpenSSL's own text says nothing useful)
    reason = 'the server did not answer with TLS';
    hint = 'The port may serve plain http: check the URL (https:// or http://) and the port.';
    phase = 'connect';
  } else if (TLS_HINT.test(code)) {
    hint =
      'The server certificate is not trusted here. If a private CA signed it, pass that CA certificate in the `ca` option.';
    option = 'ca';
  } else if (/Proxy response \((\d+)\)/.test(reason)) {
    hint = 'The proxy refused the tunnel: check the proxy URL and its credentials.';
  }
  if (CONNECT_CODES.has(code) || option === 'ca') phase = 'connect';
  const message = `Request failed: ${context.method} ${context.url}: ${reason} (${code}). ${hint}`;
  return {
    error: new McpOAuthError('network_error', message, {
      cause: error,
      details: {
        ...context,
        phase,
        errorCode: code,
        ...(option ? { option } : {}),
      },
    }),
    failure,
  };
}

export function tooLargeError(
  limit: number,
  received: number,
  context: RequestContext,
  limitName: FetchOptionNamedByErrors,
): McpOAuthError {
  return new McpOAuthError(
    'response_too_large',
    `The response of ${context.method} ${context.url} is larger than ${limit} bytes and was cut off. If it is legitimate, raise the \`${limitName}\` option.`,
    {
      details: {
        ...context,
        phase: 'body',
        limit,
        receivedBytes: received,
        limitName,
        option: limitName,
      },
    },
  );
}

/** A destination refused by `blockPrivateNetworks` (SSRF defence for server-side clients). */
export function addressBlockedError(cause: unknown, url: string): McpOAuthError {
  const reason = cause instanceof Error ? innermostMessage(cause) : 'a private or reserved address';
  return new McpOAuthError(
    'address_blocked',
    `Refused to connect to ${url}: ${reason}. blockPrivateNetworks is on, so URLs from servers may not lead to internal addresses.`,
    { cause, details: { url, phase: 'connect' } },
  );
}
