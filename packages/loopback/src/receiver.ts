import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpOAuthError } from '@mcp-oauth/core';
import { listenOnLoopback, loopbackHosts, urlHost } from './loopback-bind.ts';
import { NOT_FOUND_BODY, renderFailurePage, renderSuccessPage } from './pages.ts';

/**
 * The address the receiver listens on first (RFC 8252 §7.3: an IP literal, not `localhost`).
 * Only when IPv4 loopback is not available is `::1` used instead (RFC 8252 §8.3).
 *
 * @example
 * ```ts
 * import { LOOPBACK_HOST } from '@mcp-oauth/loopback';
 *
 * // the redirect URI to pre-register for a fixed port
 * const redirectUri = `http://${LOOPBACK_HOST}:53682/callback`;
 * ```
 */
export const LOOPBACK_HOST = '127.0.0.1';

/**
 * The path of the redirect URI when `path` is not given: `/callback`.
 *
 * @example
 * ```ts
 * import { DEFAULT_CALLBACK_PATH, startLoopbackReceiver } from '@mcp-oauth/loopback';
 *
 * const receiver = await startLoopbackReceiver();
 * new URL(receiver.redirectUri).pathname === DEFAULT_CALLBACK_PATH; // true
 * await receiver.close();
 * ```
 */
export const DEFAULT_CALLBACK_PATH = '/callback';

/**
 * How long the browser has to come back when `timeoutMs` is not given: 5 minutes, in ms.
 *
 * @example
 * ```ts
 * import { DEFAULT_TIMEOUT_MS, loopbackInteraction } from '@mcp-oauth/loopback';
 *
 * const interaction = loopbackInteraction({ timeoutMs: 2 * DEFAULT_TIMEOUT_MS });
 * ```
 */
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** How long other connections may linger after the callback was answered. */
const CLOSE_GRACE_MS = 500;

/**
 * Options of `startLoopbackReceiver`: where to listen and what to answer.
 *
 * @example
 * ```ts
 * import { startLoopbackReceiver } from '@mcp-oauth/loopback';
 *
 * // a fixed, pre-registered port; another one if it is taken
 * const receiver = await startLoopbackReceiver({ port: 53682, fallback: 'ephemeral' });
 * ```
 */
export interface LoopbackReceiverOptions {
  /** Port to listen on. Default 0: an ephemeral port chosen by the system. */
  port?: number;
  /** When a fixed `port` is taken: fail (`'error'`, the default) or use an ephemeral port. */
  fallback?: 'ephemeral' | 'error';
  /** Path of the redirect URI. Default `/callback`. */
  path?: string;
  /** HTML answered to the matching callback. */
  successPage?: string;
  /** HTML answered to an error callback; `{{error}}`/`{{error_description}}` are filled escaped. */
  failurePage?: string;
  /**
   * Advanced: the loopback addresses to try, in order. Default `['127.0.0.1', '::1']`: the next
   * one is tried only when an address is not available on this machine (`EADDRNOTAVAIL`,
   * `EAFNOSUPPORT`), never when a fixed port is taken. Only loopback IP literals
   * (`127.0.0.1`, `::1`) are accepted.
   */
  hosts?: readonly string[];
}

/**
 * A request to the callback path that was answered with an error page and is not the awaited
 * response: its `state` is missing or belongs to another sign-in (most often an old browser
 * tab). The wait goes on. It carries no query values.
 *
 * @example
 * ```ts
 * import { loopbackInteraction, type RejectedCallback } from '@mcp-oauth/loopback';
 *
 * const warn = (rejected: RejectedCallback) =>
 *   console.error(`Ignored a sign-in response from another tab (${rejected.reason}).`);
 * const interaction = loopbackInteraction({ onRejectedCallback: warn });
 * ```
 */
export interface RejectedCallback {
  /** The callback had no `state`, or another one than the awaited sign-in's. */
  reason: 'state_missing' | 'state_mismatch';
  /** How many callbacks this wait has rejected so far, this one included. */
  count: number;
}

/**
 * Options of `LoopbackReceiver.waitForCallback`: what the awaited callback must carry.
 *
 * @example
 * ```ts
 * import { startLoopbackReceiver } from '@mcp-oauth/loopback';
 *
 * const receiver = await startLoopbackReceiver();
 * const state = crypto.randomUUID();
 * // ... send the user to the authorization URL with redirect_uri = receiver.redirectUri ...
 * const callbackUrl = await receiver.waitForCallback({
 *   expectedState: state,
 *   expectedIssuer: 'https://auth.example.com',
 *   timeoutMs: 60_000,
 * });
 * ```
 */
export interface WaitForCallbackOptions {
  /** The `state` sent in the authorization request; callbacks without it are refused. */
  expectedState: string;
  /**
   * The issuer the response must come from (RFC 9207). When the callback's `iss` differs,
   * or is missing while `issuerRequired`, the server's error text is not shown (MCP: an
   * error response that fails the iss check must not be displayed).
   */
  expectedIssuer?: string;
  /**
   * A callback without `iss` counts as not from `expectedIssuer`. Set it when the server
   * advertises `authorization_response_iss_parameter_supported`. Default false.
   */
  issuerRequired?: boolean;
  /** Default 5 minutes, in ms. Ends the wait with an `interaction_timeout` error. */
  timeoutMs?: number;
  /** Cancels the wait (`interaction_failed`, details.reason `aborted`). */
  signal?: AbortSignal;
  /** Called, at once, for each callback rejected while waiting (a wrong or missing `state`). */
  onRejectedCallback?: (rejected: RejectedCallback) => void;
}

/**
 * A listener on the loopback address that waits for one authorization redirect. Started by
 * `startLoopbackReceiver`.
 *
 * @example
 * ```ts
 * import { startLoopbackReceiver } from '@mcp-oauth/loopback';
 *
 * const receiver = await startLoopbackReceiver();
 * try {
 *   console.log('redirect_uri:', receiver.redirectUri);
 *   const callbackUrl = await receiver.waitForCallback({ expectedState: 'the-state-sent' });
 *   console.log(new URL(callbackUrl).searchParams.get('code'));
 * } finally {
 *   await receiver.close();
 * }
 * ```
 */
export interface LoopbackReceiver extends AsyncDisposable {
  /** `http://127.0.0.1:<port><path>`, or `http://[::1]:<port><path>` without IPv4 loopback. */
  readonly redirectUri: string;
  /** The port listened on (the one chosen by the system when `port` was 0). */
  readonly port: number;
  /**
   * Resolves with the full callback URL of the first request to the path whose `state`
   * equals `expectedState`, then closes the listener. May be called once.
   */
  waitForCallback(options: WaitForCallbackOptions): Promise<string>;
  /** Stops listening and closes every connection. Idempotent; `await using` calls it. */
  close(): Promise<void>;
}

function validatePath(path: string): void {
  if (!path.startsWith('/') || /[?#\s]/.test(path) || path.includes('//')) {
    throw new McpOAuthError(
      'invalid_configuration',
      `The loopback callback path must start with "/" and contain no query, fragment or spaces (got ${JSON.stringify(path)}).`,
    );
  }
}

function validatePort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new McpOAuthError(
      'invalid_configuration',
      `The loopback port must be an integer from 0 to 65535 (got ${String(port)}).`,
    );
  }
}

function sameState(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'",
} as const;

function send(
  res: ServerResponse,
  status: number,
  body: string,
  html: boolean,
  close = false,
): Promise<void> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = html
      ? { ...PAGE_HEADERS }
      : { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
    if (close) headers.connection = 'close';
    res.writeHead(status, headers);
    res.end(body, () => resolve());
  });
}

/**
 * Starts an HTTP listener on 127.0.0.1 (or, without IPv4 loopback, on ::1) that waits for one
 * authorization redirect (RFC 8252). The listener does not keep the process alive until
 * `waitForCallback` is called.
 *
 * @example
 * ```ts
 * import { startLoopbackReceiver } from '@mcp-oauth/loopback';
 *
 * const receiver = await startLoopbackReceiver({ path: '/oauth/callback' });
 * console.log(receiver.redirectUri); // e.g. http://127.0.0.1:53682/oauth/callback
 * await receiver.close();
 * ```
 */
export async function startLoopbackReceiver(
  options: LoopbackReceiverOptions = {},
): Promise<LoopbackReceiver> {
  return listenOn(loopbackHosts(options.hosts), options);
}

/**
 * Internal, not exported from the package: `startLoopbackReceiver` with `hosts` taken as
 * given, not checked to be loopback literals. Tests use it to make the first bind really fail
 * with an address that is not on this machine (EADDRNOTAVAIL) and watch the fallback.
 */
export async function listenOn(
  hosts: readonly string[],
  options: Omit<LoopbackReceiverOptions, 'hosts'> = {},
): Promise<LoopbackReceiver> {
  const path = options.path ?? DEFAULT_CALLBACK_PATH;
  const requestedPort = options.port ?? 0;
  const fallback = options.fallback ?? 'error';
  validatePath(path);
  validatePort(requestedPort);
  if (fallback !== 'error' && fallback !== 'ephemeral') {
    throw new McpOAuthError(
      'invalid_configuration',
      `The loopback fallback must be 'error' or 'ephemeral' (got ${JSON.stringify(fallback)}).`,
    );
  }

  let waiting:
    | {
        expectedState: string;
        expectedIssuer: string | undefined;
        issuerRequired: boolean;
        settle: (url: string) => void;
        abandon: (error: unknown) => void;
        reject: (reason: RejectedCallback['reason']) => void;
      }
    | undefined;
  let finished = false;

  const server = createServer({ requestTimeout: 30_000, headersTimeout: 15_000 }, (req, res) => {
    void handle(req, res);
  });
  server.on('clientError', (_error, socket) => {
    socket.destroy();
  });

  const host = urlHost(await listenOnLoopback(server, hosts, requestedPort, fallback));
  server.unref();

  const port = (server.address() as AddressInfo).port;
  const expectedHost = `${host}:${port}`;
  const origin = `http://${expectedHost}`;
  const redirectUri = `${origin}${path}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    if (closing) return closing;
    finished = true;
    closing = new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
    });
    const pending = waiting;
    waiting = undefined;
    pending?.abandon(
      new McpOAuthError(
        'interaction_failed',
        'The loopback receiver was closed before the browser came back.',
        {
          details: { reason: 'closed' },
        },
      ),
    );
    return closing;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      await send(res, 400, 'Bad request\n', false);
      return;
    }
    // A request naming another host (DNS rebinding, a stray proxy) is not the redirect.
    if (req.headers.host !== undefined && req.headers.host !== expectedHost) {
      await send(res, 400, 'Bad request\n', false);
      return;
    }
    if (url.pathname !== path) {
      await send(res, 404, NOT_FOUND_BODY, false);
      return;
    }
    // Only a GET is the browser following the redirect (a HEAD could be a link prefetcher).
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      await send(res, 405, 'Method not allowed\n', false);
      return;
    }
    const state = url.searchParams.get('state');
    const current = waiting;
    if (
      finished ||
      current === undefined ||
      state === null ||
      !sameState(state, current.expectedState)
    ) {
      // Not the response to the request in progress: answer it, say so, keep waiting.
      if (!finished) current?.reject(state === null ? 'state_missing' : 'state_mismatch');
      await send(
        res,
        400,
        renderFailurePage(
          {
            error: 'state_mismatch',
            errorDescription: finished
              ? 'This sign-in has already completed.'
              : 'This response does not belong to the sign-in in progress. Return to the application and start again if needed.',
          },
          options.failurePage,
        ),
        true,
      );
      return;
    }
    // The one matching callback: stop accepting others before answering it.
    waiting = undefined;
    finished = true;
    const callbackUrl = `${origin}${url.pathname}${url.search}`;
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    let status = 200;
    let page: string;
    const iss = url.searchParams.get('iss');
    const issuerUnverified =
      current.expectedIssuer !== undefined &&
      (iss === null ? current.issuerRequired : iss !== current.expectedIssuer);
    if (error !== null && issuerUnverified) {
      status = 400;
      page = renderFailurePage(
        {
          error: 'iss_mismatch',
          errorDescription:
            'The response does not come from the expected authorization server; it was ignored. Return to the application.',
        },
        options.failurePage,
      );
    } else if (error !== null) {
      status = 400;
      page = renderFailurePage(
        { error, errorDescription: url.searchParams.get('error_description') ?? undefined },
        options.failurePage,
      );
    } else if (code === null || code === '') {
      status = 400;
      page = renderFailurePage(
        {
          error: 'invalid_response',
          errorDescription: 'The response carried no authorization code.',
        },
        options.failurePage,
      );
    } else {
      page = renderSuccessPage(options.successPage);
    }
    await send(res, status, page, true, true);
    await close();
    current.settle(callbackUrl);
  }

  let waited = false;
  const waitForCallback = (args: WaitForCallbackOptions): Promise<string> => {
    if (waited) {
      return Promise.reject(
        new McpOAuthError(
          'invalid_configuration',
          'A loopback receiver waits for one callback only; start a new one.',
        ),
      );
    }
    waited = true;
    if (typeof args.expectedState !== 'string' || args.expectedState === '') {
      return Promise.reject(
        new McpOAuthError('invalid_configuration', 'expectedState must be a non-empty string.'),
      );
    }
    const timeoutMs = args.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      return Promise.reject(
        new McpOAuthError(
          'invalid_configuration',
          `timeoutMs must be a positive number (got ${String(timeoutMs)}).`,
        ),
      );
    }
    if (finished) {
      return Promise.reject(
        new McpOAuthError('interaction_failed', 'The loopback receiver is already closed.', {
          details: { reason: 'closed' },
        }),
      );
    }
    const { signal } = args;
    let rejectedCallbacks = 0;
    return new Promise<string>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: unknown) => {
        cleanup();
        waiting = undefined;
        void close().then(() => reject(error));
      };
      const abandon = (error: unknown) => {
        cleanup();
        reject(error);
      };
      const onAbort = () => {
        fail(
          new McpOAuthError(
            'interaction_failed',
            'The authorization was cancelled before the browser came back.',
            {
              cause: signal?.reason,
              details: { reason: 'aborted' },
            },
          ),
        );
      };
      const timer = setTimeout(() => {
        const seen =
          rejectedCallbacks === 0
            ? ''
            : ` ${rejectedCallbacks === 1 ? 'One callback was' : `${rejectedCallbacks} callbacks were`} rejected for a mismatched state (most often an old browser tab).`;
        fail(
          new McpOAuthError(
            'interaction_timeout',
            `No authorization response reached ${redirectUri} within ${Math.round(timeoutMs / 1000)} s.${seen} Start the sign-in again and complete it in the browser tab it opens.`,
            { details: { timeoutMs, redirectUri, rejectedCallbacks } },
          ),
        );
      }, timeoutMs);
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting = {
        expectedState: args.expectedState,
        expectedIssuer: args.expectedIssuer,
        issuerRequired: args.issuerRequired === true,
        settle: (url) => {
          cleanup();
          resolve(url);
        },
        abandon,
        reject: (reason) => {
          rejectedCallbacks++;
          try {
            args.onRejectedCallback?.({ reason, count: rejectedCallbacks });
          } catch {
            // a listener's failure must not end the wait
          }
        },
      };
      server.ref();
    });
  };

  return { redirectUri, port, waitForCallback, close, [Symbol.asyncDispose]: close };
}
