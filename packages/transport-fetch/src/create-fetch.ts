import { type FetchLike as CoreFetchLike, McpOAuthError } from '@mcp-oauth/core';
import { redactUrl } from '@mcp-oauth/internal';
import type { Dispatcher } from 'undici';
import { bufferingInterceptor } from './body/buffer-interceptor.ts';
import { createDispatcher } from './dispatcher.ts';
import { addressBlockedError } from './errors.ts';
import { type CreateFetchOptions, DEFAULTS, resolveRetry } from './options.ts';
import { type PreparedRequest, prepareRequest, requestHeaders } from './prepare-request.ts';
import { send } from './send.ts';
import { blockedLiteral } from './ssrf/blocked-addresses.ts';
import { DEFAULT_USER_AGENT } from './version.ts';

/**
 * The standard fetch signature (core's `FetchLike`): what `createFetch` returns and what `mcpRequest` accepts.
 *
 * @example
 * ```ts
 * import type { FetchLike } from '@mcp-oauth/transport-fetch';
 *
 * const logged: FetchLike = (input, init) => {
 *   console.error(init?.method ?? 'GET', String(input));
 *   return fetch(input, init);
 * };
 * ```
 */
export type FetchLike = CoreFetchLike;

/**
 * A fetch function that also owns its connection pool. Returned by `createFetch`.
 *
 * @example
 * ```ts
 * import { createFetch, type TransportFetch } from '@mcp-oauth/transport-fetch';
 *
 * const fetch: TransportFetch = createFetch();
 * const response = await fetch('https://mcp.example.com/.well-known/oauth-protected-resource');
 * console.log(response.status);
 * await fetch.close();
 * ```
 */
export interface TransportFetch extends FetchLike {
  /** The undici dispatcher (connection pool, proxy) behind this fetch. */
  readonly dispatcher: Dispatcher;
  /** Closes idle connections and refuses new requests; resolves when in-flight ones are done. */
  close(): Promise<void>;
}

const NUMERIC_OPTIONS = [
  'connectTimeoutMs',
  'headersTimeoutMs',
  'bodyTimeoutMs',
  'eventStreamIdleTimeoutMs',
  'keepAliveTimeoutMs',
  'maxResponseBytes',
  'maxEventBytes',
  'maxEventStreamBytes',
] as const;

function validate(options: CreateFetchOptions): void {
  for (const name of NUMERIC_OPTIONS) {
    const value = options[name];
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && !Number.isNaN(value))) {
      throw new McpOAuthError(
        'invalid_configuration',
        `createFetch: ${name} must be a number ≥ 0.`,
        {
          details: { option: name },
        },
      );
    }
  }
  const attempts = options.retry ? options.retry.attempts : undefined;
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1)) {
    // 0 or 2.5 would be taken as something else; 1 is one request, no retry
    throw new McpOAuthError(
      'invalid_configuration',
      'createFetch: retry.attempts must be an integer ≥ 1 (every request counts, the first included; 1 is no retry).',
      { details: { option: 'retry' } },
    );
  }
  if (typeof options.proxy === 'string' && !URL.canParse(options.proxy)) {
    throw new McpOAuthError(
      'invalid_configuration',
      'createFetch: proxy must be an absolute URL or false.',
      {
        details: { option: 'proxy' },
      },
    );
  }
}

/**
 * Creates a fetch for Node built on undici's fetch, with proxies from the environment, extra CA
 * certificates, keep-alive, timeouts per phase, response size limits, and retries with backoff
 * when asked for. The result is a standard fetch: pass it to core, to oauth4webapi or to the MCP SDK.
 *
 * @example
 * ```ts
 * import { createFetch } from '@mcp-oauth/transport-fetch';
 *
 * const fetch = createFetch({ headersTimeoutMs: 15_000, retry: { attempts: 3 } });
 * const response = await fetch('https://auth.example.com/.well-known/oauth-authorization-server');
 * console.log(await response.json());
 * await fetch.close();
 * ```
 */
export function createFetch(options: CreateFetchOptions = {}): TransportFetch {
  validate(options);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
  const headersTimeoutMs = options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULTS.bodyTimeoutMs;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULTS.maxResponseBytes;
  const baseDispatcher = createDispatcher({
    proxy: options.proxy,
    noProxy: options.noProxy,
    ca: options.ca,
    connectTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? DEFAULTS.keepAliveTimeoutMs,
    blockPrivateNetworks: options.blockPrivateNetworks === true,
  });
  // Every request goes through undici's fetch (redirects, decoding, the Fetch standard), over
  // a dispatcher whose interceptor buffers ordinary bodies within the limits.
  const dispatcher = baseDispatcher.compose(
    bufferingInterceptor({ maxResponseBytes, bodyTimeoutMs }),
  );
  const settings = {
    dispatcher,
    retry: resolveRetry(options.retry),
    connectTimeoutMs,
    headersTimeoutMs,
    bodyTimeoutMs,
    eventStreamIdleTimeoutMs: options.eventStreamIdleTimeoutMs ?? DEFAULTS.eventStreamIdleTimeoutMs,
    maxResponseBytes,
    maxEventBytes: options.maxEventBytes ?? DEFAULTS.maxEventBytes,
    maxEventStreamBytes: options.maxEventStreamBytes ?? DEFAULTS.maxEventStreamBytes,
    onRetry: options.onRetry,
  };
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const blockPrivateNetworks = Boolean(options.blockPrivateNetworks);
  const checkAndSend = (request: PreparedRequest): Promise<Response> => {
    if (blockPrivateNetworks) {
      const blocked = blockedLiteral(request.url.hostname);
      if (blocked) {
        requestHeaders(request); // invalid headers are reported first, as they always were
        throw addressBlockedError(blocked, redactUrl(request.url));
      }
    }
    return send(request, settings);
  };
  // Not an async function: a request prepared synchronously costs no extra promise. Errors
  // are still reported as rejections, never thrown.
  const transportFetch: FetchLike = (input, init) => {
    try {
      const request = prepareRequest(input, init, userAgent);
      return request instanceof Promise ? request.then(checkAndSend) : checkAndSend(request);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  // not enumerable: printing the fetch (a config object holding it, say) must not print the
  // dispatcher, whose proxy options hold the proxy's URL with its credentials
  return Object.defineProperties(transportFetch, {
    dispatcher: { value: dispatcher, enumerable: false },
    close: { value: () => dispatcher.close(), enumerable: false },
  }) as TransportFetch;
}
